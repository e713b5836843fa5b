using System.Reflection;
using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Api.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Tests.Contracts;

/// <summary>
/// Issue 13: every contract record through the one source-generated context, compared with its golden file; and no
/// endpoint answers with anything but a typed contract.
/// </summary>
public sealed class ContractTests
{
    public static IEnumerable<string> Names() => ContractSamples.All.Keys;

    [Test]
    [MethodDataSource(nameof(Names))]
    public async Task Each_contract_serializes_exactly_as_its_golden_file(string name)
    {
        var actual = ContractSamples.Serialize(ContractSamples.All[name]);
        var path = ContractSamples.GoldenPath(name);
        if (Environment.GetEnvironmentVariable("HISHOP_WRITE_GOLDEN") is { Length: > 0 } source)
            await File.WriteAllTextAsync(Path.Combine(source, name + ".json"), actual + "\n");
        await Assert.That(File.Exists(path)).IsTrue().Because($"{name}.json belongs in tests/HiShopping.Testing/Golden");
        await Assert.That(actual + "\n").IsEqualTo(await File.ReadAllTextAsync(path));
        // And it reads back into the same record: one shape both ways.
        var back = JsonSerializer.Deserialize(actual, ApiJsonContext.Wire.GetTypeInfo(ContractSamples.All[name].GetType())!);
        await Assert.That(ContractSamples.Serialize(back!)).IsEqualTo(actual);
    }

    [Test]
    public async Task Every_contract_record_of_the_api_has_a_sample_and_a_golden_file()
    {
        var contracts = typeof(ApiJsonContext).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsGenericTypeDefinition && (t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name.EndsWith("Response", StringComparison.Ordinal)))
            .Select(t => t.Name).ToHashSet();
        var sampled = ContractSamples.All.Values.SelectMany(Nested).Select(t => t.Name).ToHashSet();
        await Assert.That(contracts.Except(sampled).ToList()).IsEmpty();
        await Assert.That(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.json").Length).IsEqualTo(ContractSamples.All.Count);
    }

    [Test]
    public async Task Every_endpoint_declares_its_typed_envelope()
    {
        await using var server = await ApiServer.StartAsync();
        // The API's endpoints; the OpenAPI document and the reference page (/openapi, /docs) are not enveloped answers.
        var endpoints = server.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && !p.StartsWith("/openapi", StringComparison.Ordinal) && !p.StartsWith("/docs", StringComparison.Ordinal))
            .ToList();
        // The CSV export is a file, declared as text/csv.
        foreach (var csv in endpoints.Where(e => e.RoutePattern.RawText!.EndsWith(".csv", StringComparison.Ordinal)).ToList())
        {
            await Assert.That(csv.Metadata.OfType<IProducesResponseTypeMetadata>().SelectMany(p => p.ContentTypes)).Contains("text/csv");
            endpoints.Remove(csv);
        }
        await Assert.That(endpoints.Count).IsGreaterThan(30);
        foreach (var endpoint in endpoints)
        {
            var produces = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode == 200).Select(p => p.Type).ToList();
            await Assert.That(produces.Count == 1 && produces[0] is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Envelope<>)
                && t.GetGenericArguments()[0] != typeof(object)).IsTrue()
                .Because($"{endpoint.RoutePattern.RawText} answers {string.Join(", ", produces)}");
        }
    }

    private static IEnumerable<Type> Nested(object sample)
    {
        var seen = new HashSet<Type>();
        void Visit(Type t)
        {
            if (!seen.Add(t) || t.Assembly != typeof(ApiJsonContext).Assembly && !t.IsGenericType) return;
            foreach (var arg in t.IsGenericType ? t.GetGenericArguments() : []) Visit(arg);
            foreach (var p in t.GetProperties())
            {
                var pt = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                Visit(pt);
            }
        }
        Visit(sample.GetType());
        return seen;
    }
}
