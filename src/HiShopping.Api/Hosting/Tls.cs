using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HiShopping.Api.Hosting;

/// <summary>A start-up problem: one line naming the cause and the fix, shown instead of a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads the TLS certificate of <c>serve --cert</c>: a PEM pair, or a PFX (PKCS#12) with its password.</summary>
public static class Tls
{
    public static X509Certificate2 Load(string certPath, string? keyPath, string? password)
    {
        if (!File.Exists(certPath)) throw new StartupException($"the certificate file {certPath} does not exist");
        var isPfx = certPath.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || certPath.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
        try
        {
            if (isPfx)
            {
                if (keyPath is not null) throw new StartupException($"{certPath} is a PFX, which holds its own key: leave out --cert-key (give --cert-password if it has one)");
                RefuseOpenKey(certPath);
                return X509CertificateLoader.LoadPkcs12FromFile(certPath, password);
            }
            if (keyPath is null) throw new StartupException($"--cert {certPath} needs its private key: add --cert-key FILE.pem (or give a .pfx)");
            if (!File.Exists(keyPath)) throw new StartupException($"the private key file {keyPath} does not exist");
            RefuseOpenKey(keyPath);
            var pem = password is null ? X509Certificate2.CreateFromPemFile(certPath, keyPath) : X509Certificate2.CreateFromEncryptedPemFile(certPath, password, keyPath);
            // Kestrel on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new StartupException($"the certificate {certPath}{(keyPath is null ? "" : " with key " + keyPath)} cannot be loaded: {e.Message.TrimEnd('.')}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StartupException($"the certificate or key cannot be read: {e.Message}", e);
        }
    }

    /// <summary>A private key that others can read is as good as published: refuse it, and say how to fix it.</summary>
    private static void RefuseOpenKey(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((mode & others) != 0)
            throw new StartupException($"the private key {path} can be read by other users: run chmod 600 {path}");
    }
}
