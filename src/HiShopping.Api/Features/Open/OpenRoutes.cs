using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Open;

internal static class OpenRoutes
{
    public const string Prefix = "/api/v1/open";

    /// <summary>The Open API group: every endpoint in it is behind the signature check.</summary>
    public static RouteGroupBuilder Group(IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).AddEndpointFilter<OpenApiAuthFilter>();
}
