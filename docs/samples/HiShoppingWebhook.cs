// Verify a HiShopping webhook (X-HiShop-Signature v1) with the .NET base library only.
// In a receiver (ASP.NET Core minimal API):
//
//   app.MapPost("/hishop", async (HttpRequest request) =>
//   {
//       using var buffer = new MemoryStream();
//       await request.Body.CopyToAsync(buffer);                      // the raw bytes, before any JSON parsing
//       var header = request.Headers["X-HiShop-Signature"].ToString();
//       if (!HiShoppingWebhook.TryVerify(signKey, header, buffer.ToArray(), DateTimeOffset.UtcNow, out var why))
//           return Results.Unauthorized();
//       // … dedupe by X-HiShop-Event-Id (the same id comes again on a redelivery), then handle the event …
//       return Results.Ok();
//   });
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HiShopping.Samples;

public static class HiShoppingWebhook
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> with the sign key, within the tolerance of <paramref name="now"/>.</summary>
    public static bool TryVerify(string signKey, string header, byte[] body, DateTimeOffset now, out string? why)
    {
        string? timestamp = null, signature = null;
        foreach (var part in header.Split(','))
        {
            var at = part.IndexOf('=');
            if (at <= 0) continue;
            if (part[..at] == "t") timestamp = part[(at + 1)..];
            else if (part[..at] == "v1") signature = part[(at + 1)..];
        }
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            why = "the header is not t=<unix seconds>,v1=<hex>";
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            why = "the timestamp is more than 300 s away: a replay, or a clock that is off";
            return false;
        }
        var message = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signKey), message));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            why = "the signature does not match this body and sign key";
            return false;
        }
        why = null;
        return true;
    }
}
