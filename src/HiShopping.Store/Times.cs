using System.Globalization;

namespace HiShopping.Store;

/// <summary>Times are Unix milliseconds UTC inside; ISO 8601 at the edges.</summary>
public static class Times
{
    public static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? Iso(long? unixMs) => unixMs is { } v ? Iso(v) : null;

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Reads a day written like 2026-11-28 as Unix milliseconds UTC: its first millisecond, or its last with
    /// <paramref name="endOfDay"/> (so a "to" date includes that whole day).
    /// </summary>
    public static bool TryParseDay(string? text, bool endOfDay, out long unixMs)
    {
        unixMs = 0;
        if (!DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        unixMs = endOfDay ? start + 86_400_000 - 1 : start;
        return true;
    }
}
