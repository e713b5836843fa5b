using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HiShopping.Store.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a 16-byte salt per password. The iteration count is stored in each hash, so hashes made
/// with another count keep verifying; new ones use <see cref="StoreOptions.PasswordIterations"/> (600,000 in
/// production, the OWASP figure SPEC §3 asks for; tests may choose fewer).
/// </summary>
public sealed class PasswordHasher
{
    public const int ProductionIterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private readonly int _iterations;

    // A real hash of a throwaway password: verifying an unknown email against it costs the same time as a real check.
    private readonly Lazy<string> _decoy;

    public PasswordHasher(StoreOptions options)
    {
        _iterations = options.PasswordIterations;
        if (_iterations < 1) throw new ArgumentOutOfRangeException(nameof(options), "PasswordIterations must be at least 1.");
        _decoy = new Lazy<string>(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, _iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256") return false;
        var iterations = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the time of one verification without a user, so unknown emails take as long as wrong passwords.</summary>
    public void VerifyDecoy(string password) => Verify(password, _decoy.Value);

    /// <summary>A random password that is easy to copy: 20 characters of an unambiguous alphabet.</summary>
    public static string Generate() => Keys.Random(20, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789");
}
