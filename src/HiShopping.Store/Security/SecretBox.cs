using System.Security.Cryptography;
using System.Text;

namespace HiShopping.Store.Security;

/// <summary>
/// AES-256-GCM under the master key file in the data directory (never in the database).
/// Layout of a sealed value: version byte 1, 12-byte nonce, 16-byte tag, ciphertext.
/// </summary>
public sealed class SecretBox
{
    private const byte Version = 1;
    private readonly byte[] _key;

    /// <summary>Reads the master key made by the store's initializer; a missing key file is an error, never a new key.</summary>
    public SecretBox(StoreOptions options) : this(KeyFiles.Load(options.MasterKeyPath, 32)) { }

    public SecretBox(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The master key must be 32 bytes.", nameof(key));
        _key = key;
    }

    public byte[] Seal(string plaintext, string context)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + 12 + 16 + plain.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(29), output.AsSpan(13, 16), Encoding.UTF8.GetBytes(context));
        return output;
    }

    public string Open(byte[] sealedValue, string context)
    {
        if (sealedValue.Length < 29 || sealedValue[0] != Version)
            throw new CryptographicException("The sealed value is not in a known format.");
        var plain = new byte[sealedValue.Length - 29];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(sealedValue.AsSpan(1, 12), sealedValue.AsSpan(29), sealedValue.AsSpan(13, 16), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }
}

/// <summary>Key files: random bytes created once with mode 0600 and read back on every start.</summary>
public static class KeyFiles
{
    /// <summary>Reads an existing key file.</summary>
    public static byte[] Load(string path, int length)
    {
        if (!File.Exists(path))
            throw new StoreSetupException($"the key file {path} is missing: run `hishop db migrate` on a new data directory, or restore the file from your backup");
        var existing = File.ReadAllBytes(path);
        if (existing.Length != length)
            throw new StoreSetupException($"the key file {path} has {existing.Length} bytes; expected {length}.");
        return existing;
    }

    public static byte[] LoadOrCreate(string path, int length)
    {
        if (File.Exists(path)) return Load(path, length);

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var key = RandomNumberGenerator.GetBytes(length);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(key);
            stream.Flush(true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return LoadOrCreate(path, length);
        }
    }
}
