using System.Security.Cryptography;
using HiShopping.Store.Security;

namespace HiShopping.Store.Tests.Security;

public sealed class SecurityTests
{
    [Test]
    public async Task Passwords_verify_only_with_the_right_password_and_production_uses_pbkdf2_with_600k_iterations()
    {
        var production = new StoreOptions { DataDir = "/unused" };
        await Assert.That(production.PasswordIterations).IsEqualTo(600_000);
        var hasher = new PasswordHasher(production);
        var hash = hasher.Hash("correct horse");
        await Assert.That(hash).StartsWith("pbkdf2-sha256$600000$");
        await Assert.That(PasswordHasher.Verify("correct horse", hash)).IsTrue();
        await Assert.That(PasswordHasher.Verify("correct horsf", hash)).IsFalse();
        await Assert.That(hasher.Hash("correct horse")).IsNotEqualTo(hash);
    }

    [Test]
    public async Task A_hash_keeps_its_own_iteration_count_so_a_changed_setting_still_verifies_old_hashes()
    {
        var fast = new PasswordHasher(new StoreOptions { DataDir = "/unused", PasswordIterations = 1_000 }).Hash("correct horse");
        await Assert.That(fast).StartsWith("pbkdf2-sha256$1000$");
        await Assert.That(PasswordHasher.Verify("correct horse", fast)).IsTrue();
    }

    [Test]
    public async Task Sealed_secrets_open_with_the_same_key_and_context_only()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(32));
        var sealedValue = box.Seal("sk_live_secret", "sign_key:app_1");

        await Assert.That(box.Open(sealedValue, "sign_key:app_1")).IsEqualTo("sk_live_secret");
        await Assert.That(() => box.Open(sealedValue, "sign_key:app_2")).Throws<CryptographicException>();
        await Assert.That(() => new SecretBox(RandomNumberGenerator.GetBytes(32)).Open(sealedValue, "sign_key:app_1")).Throws<CryptographicException>();
        sealedValue[^1] ^= 1;
        await Assert.That(() => box.Open(sealedValue, "sign_key:app_1")).Throws<CryptographicException>();
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_key_file_is_created_once_with_mode_0600_and_then_reused()
    {
        var path = Path.Combine(Path.GetTempPath(), "hishop-key-" + Guid.NewGuid().ToString("N"), "master.key");
        var first = KeyFiles.LoadOrCreate(path, 32);
        var second = KeyFiles.LoadOrCreate(path, 32);

        await Assert.That(second).IsEquivalentTo(first);
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(() => KeyFiles.LoadOrCreate(path, 64)).Throws<StoreSetupException>();
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }
}
