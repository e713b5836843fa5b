using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace HiShopping.Api.Signing;

/// <summary>
/// The Open API's request signature (SPEC §4): HMAC-SHA256 under the sign key over
/// <c>METHOD \n PATH \n CANONICAL_QUERY \n APP_ID \n TIMESTAMP \n NONCE \n BODY_SHA256</c>, as lowercase hex.
/// </summary>
public static class OpenApiSignature
{
    public const string AppIdHeader = "X-App-Id";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string TimestampHeader = "X-Timestamp";
    public const string NonceHeader = "X-Nonce";
    public const string SignatureHeader = "X-Signature";

    public static readonly string[] Headers = [AppIdHeader, ApiKeyHeader, TimestampHeader, NonceHeader, SignatureHeader];

    /// <summary>
    /// Splits the raw query on '&amp;', each part at its first '=', form-decodes both halves, re-encodes them with
    /// RFC 3986 (unreserved kept, every other UTF-8 byte as upper-case %XX), sorts by name then value, joins.
    /// </summary>
    public static string CanonicalQuery(string? rawQuery)
    {
        var query = rawQuery ?? "";
        if (query.StartsWith('?')) query = query[1..];
        if (query.Length == 0) return "";
        var pairs = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(WebUtility.UrlDecode(name)), Encode(WebUtility.UrlDecode(value))));
        }
        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>RFC 3986 percent-encoding: A–Z a–z 0–9 - . _ ~ kept, every other UTF-8 byte as %XX.</summary>
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static string BodySha256(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string CanonicalString(string method, string path, string? rawQuery, string appId, string timestamp, string nonce, string bodySha256) =>
        string.Join('\n', method.ToUpperInvariant(), path, CanonicalQuery(rawQuery), appId, timestamp, nonce, bodySha256);

    public static string Sign(string signKey, string canonicalString) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signKey), Encoding.UTF8.GetBytes(canonicalString)));

    /// <summary>Compares two hex signatures in constant time (for equal lengths). Lowercase hex only, as documented.</summary>
    public static bool Matches(string expectedHex, string? givenHex) =>
        givenHex is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedHex), Encoding.UTF8.GetBytes(givenHex));

    /// <summary>The first query parameter name (form-decoded) that occurs more than once, or null.</summary>
    public static string? RepeatedQueryKey(string? rawQuery)
    {
        var query = (rawQuery ?? "").TrimStart('?');
        if (query.Length == 0) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = WebUtility.UrlDecode(eq < 0 ? part : part[..eq]);
            if (!seen.Add(name)) return name;
        }
        return null;
    }
}
