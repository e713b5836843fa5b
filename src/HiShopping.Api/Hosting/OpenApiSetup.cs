using System.Text;
using HiShopping.Api.Contracts;
using HiShopping.Api.Http;
using HiShopping.Api.Signing;
using HiShopping.Store;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace HiShopping.Api.Hosting;

/// <summary>
/// <c>GET /openapi/v1.json</c>: an OpenAPI 3.1 document of both APIs, generated from the endpoints
/// (Microsoft.AspNetCore.OpenApi), and <c>GET /docs</c>: Scalar's reference page over it, served from the binary
/// (no CDN). The Web API's alias spelling (<c>/api/v1/web/web/…</c>) is left out of the document.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string BearerScheme = "bearer";
    public const string SignatureScheme = "signature";
    public const string AliasPrefix = "api/v1/web/web/";

    public static IServiceCollection AddHiShoppingOpenApi(this IServiceCollection services)
    {
        // The document describes what the wire carries: the product's one JSON shape (snake_case, UTC times, the
        // source-generated contracts). Nothing else reads these options: answers are written with ApiJsonContext.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJsonContext.Wire.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = ApiJsonContext.Wire.Options.DefaultIgnoreCondition;
            o.SerializerOptions.Converters.Add(new UtcTimeJsonConverter());
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Wire);
        });
        return services.AddOpenApi("v1", Configure);
    }

    private static void Configure(OpenApiOptions options)
    {
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        options.ShouldInclude = d => d.RelativePath is { } path && !path.StartsWith(AliasPrefix, StringComparison.Ordinal);
        // A nullable amount is written in place (string or null); the shared "Amount" component is a string.
        options.CreateSchemaReferenceId = t => Nullable.GetUnderlyingType(t.Type) == typeof(Amount) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(t);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(DateTimeOffset))
            {
                // Written by UtcTimeJsonConverter: 2026-11-28T10:48:55.123Z.
                schema.Type = context.JsonTypeInfo.Type == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
            }
            if (type == typeof(Amount))
            {
                schema.Type = context.JsonTypeInfo.Type == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Pattern = @"^-?[0-9]+\.[0-9]{2}$";
                schema.Description = "Money: a decimal string with exactly two decimals, e.g. \"12.50\" (USD).";
                schema.Properties?.Clear();
                schema.Required?.Clear();
            }
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancel) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault() is { } body)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = !body.Optional,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancel) },
                    },
                };
            }
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var description = context.Description;
            var path = description.RelativePath ?? "";
            operation.OperationId = OperationId(description.HttpMethod ?? "GET", path);
            operation.Tags = new HashSet<OpenApiTagReference> { new(path.StartsWith("api/v1/open", StringComparison.Ordinal) ? "Open API" : path.StartsWith("api/v1/web", StringComparison.Ordinal) ? "Web API" : "Health", context.Document) };
            foreach (var q in description.ActionDescriptor.EndpointMetadata.OfType<QueryParameters>().SelectMany(p => p.Items))
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = q.Name, In = ParameterLocation.Query, Required = false, Description = q.Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
            if (operation.RequestBody?.Content is { } content && description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault() is { } example)
                foreach (var media in content.Values) media.Example = System.Text.Json.Nodes.JsonNode.Parse(example.Json);
            if (path.StartsWith("api/v1/open", StringComparison.Ordinal))
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SignatureScheme, context.Document)] = [] }];
                foreach (var header in new[] { OpenApiSignature.AppIdHeader, OpenApiSignature.ApiKeyHeader, OpenApiSignature.TimestampHeader, OpenApiSignature.NonceHeader, OpenApiSignature.SignatureHeader })
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = header, In = ParameterLocation.Header, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        Description = "One of the five signing headers (see the signature security scheme).",
                    });
                }
            }
            else if (description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "HiShopping API",
                Version = ApiInfo.Version,
                Description = Description(),
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "The Web API: the token of POST /api/v1/web/login, as Authorization: Bearer <token>.",
            };
            document.Components.SecuritySchemes[SignatureScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = OpenApiSignature.SignatureHeader,
                Description = """
                    The Open API: five headers on every request — X-App-Id, X-Api-Key, X-Timestamp (Unix seconds, ±300 s),
                    X-Nonce (8–64 of A-Z a-z 0-9 _ -, once per app), and X-Signature: the lower-case hex HMAC-SHA256, keyed
                    with the app's sign key, of the canonical string METHOD\nPATH\nCANONICAL_QUERY\nAPP_ID\nTIMESTAMP\nNONCE\nHEX_SHA256(BODY)
                    (query pairs RFC 3986-encoded and sorted). Worked example and samples: docs/open-api.md.
                    """,
            };
            document.Tags = new HashSet<OpenApiTag>
            {
                new() { Name = "Web API", Description = "The merchant dashboard's API (JWT)." },
                new() { Name = "Open API", Description = "The integrations' API (signed requests)." },
                new() { Name = "Health", Description = "Liveness." },
            };
            return Task.CompletedTask;
        });
    }

    /// <summary>An example request body for the document (what a client would send), as JSON.</summary>
    public sealed record RequestExample(string Json)
    {
        public static RequestExample Of<T>(T value) => new(System.Text.Json.JsonSerializer.Serialize(value, ApiJsonContext.Info<T>()));
    }

    /// <summary>Maps the document and the reference page.</summary>
    public static void MapHiShoppingOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("HiShopping API").WithOpenApiRoutePattern(DocumentPath);
            options.HideClientButton = true;
            // Offline and private: no CDN fonts, no telemetry, no AI chat, no MCP, no hosted-tools toolbar.
            options.DisableDefaultFonts();
            options.Telemetry = false;
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.Mcp = new ScalarMcpOptions { Disabled = true };
        });
    }

    /// <summary>webGetOrdersByOrderNo, openPostOrdersByOrderNoCancel: the API, the method, then the path.</summary>
    public static string OperationId(string method, string relativePath)
    {
        var path = relativePath.Split('?')[0];
        var api = path.StartsWith("api/v1/open", StringComparison.Ordinal) ? "open" : path.StartsWith("api/v1/web", StringComparison.Ordinal) ? "web" : "";
        var rest = path.StartsWith("api/v1/", StringComparison.Ordinal) ? path["api/v1/".Length..].Split('/').Skip(1) : path.Split('/');
        var id = new StringBuilder(api);
        id.Append(api.Length == 0 ? method.ToLowerInvariant() : Pascal(method.ToLowerInvariant()));
        foreach (var segment in rest.Where(s => s.Length > 0))
            id.Append(segment.StartsWith('{') ? "By" + Pascal(segment.Trim('{', '}')) : Pascal(segment));
        return id.ToString();
    }

    private static string Pascal(string text) =>
        string.Concat(text.Split('_', '-', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static string Description()
    {
        var text = new StringBuilder("""
            HiShopping: buy Temu goods on prepaid credit. The **Web API** (`/api/v1/web`, JWT) is the merchant dashboard's;
            the **Open API** (`/api/v1/open`, signed) is for integrations. Every answer has one envelope:
            `{"code": 0, "message": "success", "data": …, "request_id": "…"}`; `code` other than 0 is an error:

            | code | meaning |
            |---|---|

            """);
        foreach (var code in Enum.GetValues<ErrorCode>().Where(c => c != ErrorCode.Success))
            text.Append("| ").Append((int)code).Append(" | ").Append(code).Append(" |\n");
        text.Append("\nMoney is a string with two decimals (\"12.50\"); times are ISO 8601 UTC. Webhooks: docs/webhooks.md.");
        return text.ToString();
    }
}
