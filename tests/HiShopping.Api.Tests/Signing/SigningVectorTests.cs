using System.Text;
using System.Text.Json;
using HiShopping.Api.Signing;

namespace HiShopping.Api.Tests.Signing;

public sealed class SigningVectorTests
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HiShopping.Tool.sln"))) return dir.FullName;
        throw new FileNotFoundException("HiShopping.Tool.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The spec's vectors in ../shared/spec beside the repository, when there; else the copy in docs/samples.</summary>
    public static string VectorsPath()
    {
        var shared = Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "spec", "signing-vectors.json"));
        return File.Exists(shared) ? shared : Path.Combine(RepoRoot(), "docs", "samples", "signing-vectors.json");
    }

    [Test]
    public async Task The_copy_in_docs_matches_the_spec_vectors_when_the_spec_is_beside_the_repository()
    {
        var copy = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "docs", "samples", "signing-vectors.json"));
        await Assert.That(copy).IsEqualTo(await File.ReadAllTextAsync(VectorsPath()));
    }

    public static IEnumerable<Func<JsonElement>> Vectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(VectorsPath()));
        foreach (var vector in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var copy = vector.Clone();
            yield return () => copy;
        }
    }

    private static (string SignKey, string AppId) Keys()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(VectorsPath()));
        return (document.RootElement.GetProperty("sign_key").GetString()!, document.RootElement.GetProperty("app_id").GetString()!);
    }

    [Test]
    public async Task There_are_vectors_to_check() =>
        await Assert.That(Vectors().Count()).IsGreaterThanOrEqualTo(8);

    [Test]
    [MethodDataSource(nameof(Vectors))]
    public async Task The_signer_reproduces_each_shared_vector(JsonElement vector)
    {
        var (signKey, appId) = Keys();
        string S(string name) => vector.GetProperty(name).GetString()!;

        var bodySha = OpenApiSignature.BodySha256(Encoding.UTF8.GetBytes(S("body")));
        var canonical = OpenApiSignature.CanonicalString(S("method"), S("path"), S("query"), appId, S("timestamp"), S("nonce"), bodySha);

        await Assert.That(OpenApiSignature.CanonicalQuery(S("query"))).IsEqualTo(S("canonical_query"));
        await Assert.That(bodySha).IsEqualTo(S("body_sha256"));
        await Assert.That(canonical).IsEqualTo(S("canonical_string"));
        await Assert.That(OpenApiSignature.Sign(signKey, canonical)).IsEqualTo(S("signature"));
    }

    [Test]
    [Arguments("", "")]
    [Arguments("a", "a=")]
    [Arguments("a=1&&b=2", "a=1&b=2")]
    [Arguments("x=%7e%2A+y", "x=~%2A%20y")]
    [Arguments("B=1&a=2", "B=1&a=2")]
    [Arguments("q=a%3Db", "q=a%3Db")]
    public async Task Canonical_queries_follow_the_rules(string raw, string expected) =>
        await Assert.That(OpenApiSignature.CanonicalQuery(raw)).IsEqualTo(expected);
}
