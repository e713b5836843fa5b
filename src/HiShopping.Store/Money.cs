using System.Globalization;

namespace HiShopping.Store;

/// <summary>Money is <c>long</c> minor units inside; decimal strings with exactly two decimals at the edges.</summary>
public static class Money
{
    public const string Currency = "USD";

    /// <summary>The largest amount one operation may move: 1,000,000,000.00.</summary>
    public const long MaxAmount = 100_000_000_000;

    /// <summary>The longest text <see cref="FormatUtf8"/> writes: <c>-92233720368547758.08</c>.</summary>
    public const int MaxFormattedLength = 21;

    /// <summary>An amount with exactly two decimals and a minus when below zero: <c>12.50</c>, <c>-0.05</c>.</summary>
    public static string Format(long minor)
    {
        Span<byte> text = stackalloc byte[MaxFormattedLength];
        return System.Text.Encoding.ASCII.GetString(text[..FormatUtf8(minor, text)]);
    }

    /// <summary>
    /// <see cref="Format"/>'s text as UTF-8 into <paramref name="destination"/> (at least
    /// <see cref="MaxFormattedLength"/> bytes), allocating nothing: how the API writes amounts into its JSON.
    /// </summary>
    public static int FormatUtf8(long minor, Span<byte> destination)
    {
        if (destination.Length < MaxFormattedLength) throw new ArgumentException($"An amount needs {MaxFormattedLength} bytes.", nameof(destination));
        var magnitude = minor < 0 ? (ulong)(-(minor + 1)) + 1 : (ulong)minor; // long.MinValue has no positive twin
        var at = 0;
        if (minor < 0) destination[at++] = (byte)'-';
        _ = (magnitude / 100).TryFormat(destination[at..], out var whole, default, CultureInfo.InvariantCulture); // fits: 17 digits at most
        at += whole;
        var cents = (int)(magnitude % 100);
        destination[at++] = (byte)'.';
        destination[at++] = (byte)('0' + cents / 10);
        destination[at++] = (byte)('0' + cents % 10);
        return at;
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
