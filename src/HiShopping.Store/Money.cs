using System.Globalization;

namespace HiShopping.Store;

/// <summary>Money is <c>long</c> minor units inside; decimal strings with exactly two decimals at the edges.</summary>
public static class Money
{
    public const string Currency = "USD";

    /// <summary>The largest amount one operation may move: 1,000,000,000.00.</summary>
    public const long MaxAmount = 100_000_000_000;

    public static string Format(long minor)
    {
        var sign = minor < 0 ? "-" : "";
        var abs = Math.Abs((decimal)minor);
        return sign + (abs / 100m).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses "12", "12.5" or "12.50" (optionally signed) into minor units; refuses more than two decimals.</summary>
    public static bool TryParse(string? text, out long minor, bool allowNegative = false)
    {
        minor = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            if (negative && !allowNegative) return false;
            s = s[1..];
        }
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? "" : s[(dot + 1)..];
        if (whole.Length == 0 || whole.Length > 12 || !whole.All(char.IsAsciiDigit)) return false;
        if (dot >= 0 && (fraction.Length is 0 or > 2 || !fraction.All(char.IsAsciiDigit))) return false;
        var value = long.Parse(whole, CultureInfo.InvariantCulture) * 100 + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture));
        minor = negative ? -value : value;
        return true;
    }
}
