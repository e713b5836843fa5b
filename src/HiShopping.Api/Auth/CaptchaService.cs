using Dapper;
using System.Security.Cryptography;
using System.Text;
using HiShopping.Store.Database;
using HiShopping.Store.Security;

namespace HiShopping.Api.Auth;

/// <summary>Chooses the text of a new captcha. Replaceable so tests can know the answer.</summary>
public interface ICaptchaCodeSource
{
    string Next();
}

public sealed class RandomCaptchaCodeSource : ICaptchaCodeSource
{
    public string Next() => Keys.Random(5, CaptchaImage.Alphabet);
}

public sealed record Captcha(string Id, string ImageDataUri, int ExpiresIn);

/// <summary>
/// Captchas live 5 minutes, are checked at most once, and only a salted hash of the answer is kept — in the database, so
/// that any serve process on it can check a captcha another one showed (several serve behind a proxy).
/// </summary>
public sealed class CaptchaService(ICaptchaCodeSource codes, TimeProvider clock, Db db)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public Captcha Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var code = codes.Next();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var expires = now + (long)Lifetime.TotalMilliseconds;
        db.Write((c, t) =>
        {
            c.Execute("INSERT INTO captchas (id, answer_hash, expires_at) VALUES (@id, @hash, @expires)", new { id, hash = Hash(id, code), expires }, t);
            // Unanswered captchas are forgotten in slices, one in 64 creations clearing up to 500 expired ones.
            if (RandomNumberGenerator.GetInt32(64) == 0)
                c.Execute("DELETE FROM captchas WHERE id IN (SELECT id FROM captchas WHERE expires_at < @now LIMIT 500)", new { now }, t);
        });
        var image = "data:image/png;base64," + Convert.ToBase64String(CaptchaImage.Render(code));
        return new Captcha(id, image, (int)Lifetime.TotalSeconds);
    }

    /// <summary>True when the answer is right; the captcha is used up either way.</summary>
    public bool Verify(string? id, string? answer)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(answer) || id.Length > 64) return false;
        var found = db.Write((c, t) => c.QuerySingleOrDefault<Pending>(
            "DELETE FROM captchas WHERE id = @id RETURNING answer_hash AS Hash, expires_at AS Expires", new { id }, t));
        if (found is null || found.Expires < clock.GetUtcNow().ToUnixTimeMilliseconds()) return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(found.Hash), Encoding.ASCII.GetBytes(Hash(id, answer.Trim())));
    }

    private static string Hash(string id, string code) => Keys.Sha256Hex(id + ":" + code.ToUpperInvariant());

    private sealed record Pending
    {
        public required string Hash { get; init; }
        public long Expires { get; init; }
    }
}

/// <summary>When login asks for a captcha: adaptive (after failures; see <see cref="HiShopping.Store.Security.ILoginThrottle"/>), always, or never.</summary>
public enum CaptchaPolicy { Adaptive, Always, Off }
