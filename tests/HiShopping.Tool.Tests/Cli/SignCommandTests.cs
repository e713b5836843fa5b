namespace HiShopping.Tool.Tests.Cli;

public sealed class SignCommandTests
{
    // The first vector of ../shared/spec/signing-vectors.json.
    private const string SignKey = "sk_test_5b1f0c7e9a2d4e8f9c3b6a1d2e4f6a8b";
    private const string AppId = "app_7f3a9c2e51b04d6e";

    [Test]
    public async Task Sign_prints_the_canonical_string_headers_and_curl_of_the_shared_vector()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("sign", "--app-id", AppId, "--api-key", "hk_example", "--sign-key", SignKey,
            "GET", "/api/v1/open/goods", "--query", "page=2&page_size=20&keyword=phone%20case",
            "--timestamp", "1767225600", "--nonce", "n0nce-0001", "--server", "http://127.0.0.1:5080");

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Out).Contains("GET\n/api/v1/open/goods\nkeyword=phone%20case&page=2&page_size=20\napp_7f3a9c2e51b04d6e\n1767225600\nn0nce-0001\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        await Assert.That(result.Out).Contains("X-Signature: d681e87d5f90fa52bbe475231e4ad13cb743954c91a6726a07c1a695782a43fb");
        await Assert.That(result.Out).Contains("curl -sS -X GET 'http://127.0.0.1:5080/api/v1/open/goods?page=2&page_size=20&keyword=phone%20case'");
    }

    [Test]
    public async Task Sign_hashes_a_body_file_exactly_as_stored()
    {
        using var cli = new CliRunner();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "{ \"merchant_order_no\" : \"MO-1001\" ,\n  \"items\":[{\"sku_id\":\"sku-100001\",\"quantity\":2}] }");

        var result = await cli.RunAsync("sign", "--app-id", AppId, "--api-key", "hk_example", "--sign-key", SignKey,
            "POST", "/api/v1/open/orders", "--body", file, "--timestamp", "1767225602", "--nonce", "Z9y8X7w6V5u4");

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Out).Contains("3238aede33e203235af72410a4f0581d48b06ce7bf61dfecc1b3811b6905beba");
        await Assert.That(result.Out).Contains("X-Signature: f8a9dfebc126fc6c20fe1e00d4f5e674fd3c0d2af8713887c9077a1b1db57530");
        await Assert.That(result.Out).Contains("--data-binary '@" + file + "'");
        File.Delete(file);
    }

    [Test]
    [Arguments("FETCH", "/api/v1/open/goods", new string[0])]
    [Arguments("GET", "api/v1/open/goods", new string[0])]
    [Arguments("GET", "/api/v1/open/goods", new[] { "--nonce", "short" })]
    [Arguments("GET", "/api/v1/open/goods", new[] { "--timestamp", "yesterday" })]
    [Arguments("POST", "/api/v1/open/orders", new[] { "--body", "/no/such/file.json" })]
    [Arguments("GET", "/api/v1/open/goods?a=1", new[] { "--query", "b=2" })]
    public async Task Bad_sign_input_exits_2_with_one_line(string method, string path, string[] extra)
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync(["sign", "--app-id", AppId, "--api-key", "k", "--sign-key", SignKey, method, path, .. extra]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
    }
}
