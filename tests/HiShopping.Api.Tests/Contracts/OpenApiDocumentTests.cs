using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HiShopping.Api.Hosting;
using Json.Schema;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Tests.Contracts;

/// <summary>Issue 10: /openapi/v1.json covers every route, names every operation, and describes what the wire carries.</summary>
public sealed partial class OpenApiDocumentTests
{
    private static async Task<JsonObject> DocumentAsync(ApiServer server)
    {
        var text = await server.Http.GetStringAsync(OpenApiSetup.DocumentPath);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Test]
    public async Task Every_route_serve_maps_is_in_the_document_and_every_documented_path_is_mapped()
    {
        await using var server = await ApiServer.StartAsync();
        var document = await DocumentAsync(server);
        await Assert.That(document["openapi"]!.GetValue<string>()).StartsWith("3.1");

        var mapped = server.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && !p.StartsWith("/" + OpenApiSetup.AliasPrefix, StringComparison.Ordinal)
                        && !p.StartsWith("/openapi", StringComparison.Ordinal) && !p.StartsWith("/docs", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .ToHashSet();
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {p.Key}"))
            .ToHashSet();

        await Assert.That(mapped.Count).IsGreaterThan(30);
        await Assert.That(mapped.Except(documented).ToList()).IsEmpty();
        await Assert.That(documented.Except(mapped).ToList()).IsEmpty();
        await Assert.That(documented).Contains("POST /api/v1/open/orders");
    }

    [Test]
    public async Task Operation_ids_are_unique_names_and_each_api_has_its_security_scheme()
    {
        await using var server = await ApiServer.StartAsync();
        var document = await DocumentAsync(server);
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(op => (Path: p.Key, Op: op.Value!.AsObject()))).ToList();

        var ids = operations.Select(o => o.Op["operationId"]?.GetValue<string>() ?? "").ToList();
        await Assert.That(ids.All(id => Identifier().IsMatch(id))).IsTrue().Because(string.Join(", ", ids));
        await Assert.That(ids.Distinct().Count()).IsEqualTo(ids.Count);
        foreach (var (path, op) in operations.Where(o => o.Path.StartsWith("/api/v1/open", StringComparison.Ordinal)))
        {
            await Assert.That(op["security"]!.ToJsonString()).Contains("signature").Because(path);
            await Assert.That(op["parameters"]!.AsArray().Count(p => p!["in"]!.GetValue<string>() == "header")).IsEqualTo(5);
        }
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        await Assert.That(schemes["bearer"]!["scheme"]!.GetValue<string>()).IsEqualTo("bearer");
        await Assert.That(schemes["signature"]!["description"]!.GetValue<string>()).Contains("HMAC-SHA256");
        await Assert.That(document["paths"]!["/api/v1/web/orders"]!["get"]!["security"]!.ToJsonString()).Contains("bearer");
        await Assert.That(document["paths"]!["/api/v1/web/login"]!["post"]!["security"]).IsNull();
        await Assert.That(document["info"]!["description"]!.GetValue<string>()).Contains("| 2001 | InsufficientCredit |");
    }

    [Test]
    public async Task The_examples_and_every_golden_payload_validate_against_the_documents_own_schemas()
    {
        await using var server = await ApiServer.StartAsync();
        var document = await DocumentAsync(server);
        var schemas = document["components"]!["schemas"]!.AsObject();
        await Assert.That(schemas["Amount"]!["pattern"]!.GetValue<string>()).IsEqualTo(@"^-?[0-9]+\.[0-9]{2}$");

        // The examples in the document itself.
        var examples = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(op => op.Value!["requestBody"]?["content"]?["application/json"]))
            .Where(media => media?["example"] is not null).ToList();
        await Assert.That(examples.Count).IsGreaterThanOrEqualTo(2);
        foreach (var media in examples)
            await Valid(document, media!["schema"]!, media["example"]!, "an example");

        // And what the API really writes: every golden file named after a schema of the document.
        var goldens = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.json")
            .Select(f => (Name: Path.GetFileNameWithoutExtension(f), File: f)).Where(g => schemas.ContainsKey(g.Name)).ToList();
        await Assert.That(goldens.Count).IsGreaterThan(15);
        foreach (var (name, file) in goldens)
            await Valid(document, new JsonObject { ["$ref"] = $"#/components/schemas/{name}" }, JsonNode.Parse(await File.ReadAllTextAsync(file))!, name);
        // A wrong payload fails: money as a number.
        var bad = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Golden", "OpenCreditResponse.json")))!;
        bad["balance"] = 12.5;
        await Assert.That(Evaluate(document, new JsonObject { ["$ref"] = "#/components/schemas/OpenCreditResponse" }, bad).IsValid).IsFalse();
    }

    private static async Task Valid(JsonObject document, JsonNode schema, JsonNode instance, string what)
    {
        var result = Evaluate(document, schema, instance);
        await Assert.That(result.IsValid).IsTrue().Because($"{what}: {JsonSerializer.Serialize(result.Details?.Where(d => d.Errors is not null).Take(3).Select(d => new { d.InstanceLocation, d.Errors }))}");
    }

    private static EvaluationResults Evaluate(JsonObject document, JsonNode schema, JsonNode instance)
    {
        // The document's components as a JSON Schema of their own: #/components/schemas/X becomes #/$defs/X.
        var defs = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://hishop.test/{Guid.NewGuid():N}",
            ["$defs"] = JsonNode.Parse(defs),
            ["allOf"] = new JsonArray(JsonNode.Parse(schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))),
        };
        var compiled = JsonSchema.FromText(root.ToJsonString());
        return compiled.Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Test]
    public async Task The_docs_page_renders_in_headless_chromium_with_no_request_leaving_127_0_0_1()
    {
        await using var server = await ApiServer.StartAsync();
        // The page opened at the Open API's order placement (the reference renders the sections it shows).
        var url = new Uri(server.Http.BaseAddress!, "/docs/#tag/open-api/POST/api/v1/open/orders").ToString();
        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(artifacts);
        var netLog = Path.Combine(artifacts, "docs-netlog.json");
        var screenshot = Path.Combine(artifacts, "docs.png");

        var dom = (await ChromiumAsync(["--dump-dom", $"--log-net-log={netLog}", url])).Replace("<wbr>", "", StringComparison.Ordinal);
        await Assert.That(dom).Contains("HiShopping API");
        await Assert.That(dom).Contains("/api/v1/open/orders.body.merchant_order_no");
        await Assert.That(dom).Contains("X-Signature");
        // Every URL the page asked for (the navigation, and what Blink loaded for it: scripts, the document, fonts) was
        // on the server under test. Chromium's own service traffic (updates, accounts) carries other traffic
        // annotations; it is not the page's, and the resolver rule above sends it nowhere anyway.
        var requested = UrlInLog().Matches(await File.ReadAllTextAsync(netLog))
            .Where(m => PageAnnotations.Contains(m.Groups[1].Value)).Select(m => new Uri(m.Groups[2].Value)).ToList();
        await Assert.That(requested.Count(u => u.AbsolutePath.EndsWith("scalar.js", StringComparison.Ordinal) || u.AbsolutePath == OpenApiSetup.DocumentPath)).IsGreaterThanOrEqualTo(2);
        await Assert.That(requested.Where(u => u.Host != "127.0.0.1").Select(u => u.ToString()).Distinct().ToList()).IsEmpty();

        // The screenshot of the page's top (an anchor scrolls to a section still being laid out when the shot is taken).
        await ChromiumAsync([$"--screenshot={screenshot}", "--window-size=1280,1600", new Uri(server.Http.BaseAddress!, "/docs/").ToString()]);
        await Assert.That(new FileInfo(screenshot).Length).IsGreaterThan(10_000);
    }

    private static async Task<string> ChromiumAsync(string[] args)
    {
        var binary = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: .ci/run installs it (apt-get install -y chromium).");
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--virtual-time-budget=20000",
                     $"--user-data-dir={Path.Combine(Path.GetTempPath(), "hishop-chromium-" + Guid.NewGuid().ToString("N"))}", .. args])
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(deadline.Token);
        await error;
        return await output;
    }

    [GeneratedRegex("^(web|open)?[a-z]+[A-Za-z0-9]*$")]
    private static partial Regex Identifier();

    /// <summary>Chromium's traffic annotations of a page's loads: navigation_url_loader, blink_resource_loader, and fetch().</summary>
    private static readonly HashSet<string> PageAnnotations = ["63171670", "101845102", "112189210"];

    [GeneratedRegex("\"traffic_annotation\":([0-9]+),\"url\":\"(https?://[^\"]+)\"")]
    private static partial Regex UrlInLog();
}
