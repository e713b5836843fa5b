// HiShopping Open API request signing (signature v1), .NET base class library only.
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace HiShopping.Samples;

public static class HiShoppingSigner
{
    /// <summary>Adds the five X-* headers that sign <paramref name="request"/>; its content, if any, is the exact body.</summary>
    public static async Task SignAsync(HttpRequestMessage request, string appId, string apiKey, string signKey)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var uri = request.RequestUri!;
        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        var query = uri.IsAbsoluteUri ? uri.Query.TrimStart('?') : (uri.OriginalString.Contains('?') ? uri.OriginalString[(uri.OriginalString.IndexOf('?') + 1)..] : "");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N");
        var canonical = CanonicalString(request.Method.Method, path, query, appId, timestamp, nonce, body);
        request.Headers.Add("X-App-Id", appId);
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Nonce", nonce);
        request.Headers.Add("X-Signature", Sign(signKey, canonical));
    }

    public static string CanonicalString(string method, string path, string rawQuery, string appId, string timestamp, string nonce, byte[] body) =>
        string.Join('\n', method.ToUpperInvariant(), path, CanonicalQuery(rawQuery), appId, timestamp, nonce,
            Convert.ToHexStringLower(SHA256.HashData(body)));

    public static string Sign(string signKey, string canonical) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signKey), Encoding.UTF8.GetBytes(canonical)));

    public static string CanonicalQuery(string rawQuery)
    {
        var pairs = new List<(string Name, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(WebUtility.UrlDecode(name)), Encode(WebUtility.UrlDecode(value))));
        }
        return string.Join('&', pairs
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    // RFC 3986: only A-Z a-z 0-9 - . _ ~ stay as they are; every other UTF-8 byte becomes %XX.
    private static string Encode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                sb.Append((char)b);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
