using System.Globalization;
using System.Security.Cryptography;

namespace HiShopping.Store.Services;

/// <summary>
/// Order numbers (<c>HS…</c>) and ledger reference numbers (<c>CR…</c>): the prefix, the UTC date, the millisecond of
/// the day and 40 random bits, in Crockford base 32 — e.g. <c>HS20261129</c><c>0RJ7Q2</c><c>K8ZT4M9X</c>. They sort by
/// time like the old sequence did, but say nothing of how many orders the platform takes, and cannot be guessed.
/// </summary>
public static class Numbers
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>2 + 8 + 6 + 8 characters.</summary>
    public const int Length = 24;

    public static string New(string prefix, long nowMs)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(nowMs).UtcDateTime;
        var msOfDay = (long)(at - at.Date).TotalMilliseconds;
        Span<char> chars = stackalloc char[14];
        Encode(msOfDay, chars[..6]);
        Span<byte> random = stackalloc byte[5];
        RandomNumberGenerator.Fill(random);
        long bits = 0;
        foreach (var b in random) bits = (bits << 8) | b;
        Encode(bits, chars[6..]);
        return prefix + at.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + new string(chars);
    }

    private static void Encode(long value, Span<char> into)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }
    }
}
