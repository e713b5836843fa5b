using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HiShopping.Samples;

namespace HiShopping.Api.Tests.Signing;

/// <summary>The signing samples of docs/open-api.md, each held to the shared vectors.</summary>
public sealed class SampleSignerTests
{
    private static string Samples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HiShopping.Tool.sln"))) return Path.Combine(dir.FullName, "docs", "samples");
        throw new DirectoryNotFoundException("docs/samples");
    }

    private static string[] ExpectedSignatures()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SigningVectorTests.VectorsPath()));
        return document.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.GetProperty("signature").GetString()!).ToArray();
    }

    [Test]
    public async Task The_csharp_sample_reproduces_every_vector()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SigningVectorTests.VectorsPath()));
        var root = document.RootElement;
        var signatures = root.GetProperty("vectors").EnumerateArray().Select(v =>
        {
            string S(string n) => v.GetProperty(n).GetString()!;
            var canonical = HiShoppingSigner.CanonicalString(S("method"), S("path"), S("query"), root.GetProperty("app_id").GetString()!,
                S("timestamp"), S("nonce"), Encoding.UTF8.GetBytes(S("body")));
            return HiShoppingSigner.Sign(root.GetProperty("sign_key").GetString()!, canonical);
        }).ToArray();

        await Assert.That(string.Join("\n", signatures)).IsEqualTo(string.Join("\n", ExpectedSignatures()));
    }

    [Test]
    [Arguments("python3", "sign.py")]
    [Arguments("node", "sign.js")]
    public async Task The_script_sample_reproduces_every_vector(string interpreter, string script)
    {
        var info = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(Samples(), script));
        info.ArgumentList.Add(SigningVectorTests.VectorsPath());
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        await Assert.That(process.ExitCode).IsEqualTo(0).Because(error);
        await Assert.That(output.Trim().Replace("\r", "")).IsEqualTo(string.Join("\n", ExpectedSignatures()));
    }

    [Test]
    public async Task The_running_server_accepts_a_request_signed_by_the_csharp_sample()
    {
        await using var server = await ApiServer.StartAsync(seedDemoCatalog: true);
        var client = await server.NewIntegrationAsync(credit: 100_000);
        var body = JsonSerializer.Serialize(OpenClient.OrderBody("SAMPLE-1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Http.BaseAddress!, "/api/v1/open/orders?source=sample&note=a+b"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        await HiShoppingSigner.SignAsync(request, client.AppId, client.ApiKey, client.SignKey);

        using var response = await server.Http.SendAsync(request);
        var answer = await ApiResponse.ReadAsync(response);

        await Assert.That(answer.Code).IsEqualTo(0).Because(answer.Raw);
        await Assert.That(answer.Data.GetProperty("merchant_order_no").GetString()).IsEqualTo("SAMPLE-1");
    }
}

public sealed class OpenApiDocTests
{
    [Test]
    [Arguments("HiShoppingSigner.cs")]
    [Arguments("sign.py")]
    [Arguments("sign.js")]
    public async Task The_doc_shows_each_sample_exactly_as_tested(string sample)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "HiShopping.Tool.sln"))) root = root.Parent!;
        var doc = await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "open-api.md"));
        var code = (await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "samples", sample))).TrimEnd();
        await Assert.That(doc).Contains(code);
    }
}
