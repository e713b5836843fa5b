using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
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

/// <summary>Captchas live 5 minutes, are checked at most once, and only a salted hash of the answer is kept.</summary>
public sealed class CaptchaService(ICaptchaCodeSource codes, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MaxOutstanding = 50_000;
    private readonly ConcurrentDictionary<string, (string Hash, DateTimeOffset Expires)> _pending = new();

    public Captcha Create()
    {
        if (_pending.Count > MaxOutstanding) Prune();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var code = codes.Next();
        _pending[id] = (Hash(id, code), clock.GetUtcNow() + Lifetime);
        var image = "data:image/png;base64," + Convert.ToBase64String(CaptchaImage.Render(code));
        return new Captcha(id, image, (int)Lifetime.TotalSeconds);
    }

    /// <summary>True when the answer is right; the captcha is used up either way.</summary>
    public bool Verify(string? id, string? answer)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(answer)) return false;
        if (!_pending.TryRemove(id, out var entry)) return false;
        if (entry.Expires < clock.GetUtcNow()) return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(entry.Hash), Encoding.ASCII.GetBytes(Hash(id, answer.Trim())));
    }

    private static string Hash(string id, string code) => Keys.Sha256Hex(id + ":" + code.ToUpperInvariant());

    private void Prune()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _pending)
            if (entry.Expires < now) _pending.TryRemove(id, out _);
    }
}

/// <summary>When login asks for a captcha: adaptive (after failures; see <see cref="HiShopping.Store.Security.ILoginThrottle"/>), always, or never.</summary>
public enum CaptchaPolicy { Adaptive, Always, Off }
