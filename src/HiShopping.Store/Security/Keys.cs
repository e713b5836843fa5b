using System.Security.Cryptography;
using System.Text;

namespace HiShopping.Store.Security;

/// <summary>Random identifiers and keys, and the hashes the store keeps instead of them.</summary>
public static class Keys
{
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string Random(int length, string alphabet = Alphanumeric) =>
        RandomNumberGenerator.GetString(alphabet, length);

    public static string NewApiKey() => "hk_" + Random(40);

    public static string NewSignKey() => "sk_" + Random(48);

    public static string NewAppId() => "app_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>An API key as it may be shown after its moment: prefix and last four, e.g. <c>hk_…9f3a</c>.</summary>
    public static string MaskApiKey(string prefix, string last4) => $"{prefix}…{last4}";
}
