using HiShopping.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features;

internal static class WebRoutes
{
    public const string Prefix = "/api/v1/web";

    /// <summary>
    /// The Web API under both spellings of SPEC §3: <c>/api/v1/web/x</c> and, for clients that follow the original
    /// dashboard literally, <c>/api/v1/web/web/x</c>.
    /// </summary>
    public static IEnumerable<RouteGroupBuilder> Groups(IEndpointRouteBuilder app) =>
        [app.MapGroup(Prefix), app.MapGroup(Prefix + "/web")];

    /// <summary>The groups for endpoints that need a signed-in merchant.</summary>
    public static IEnumerable<RouteGroupBuilder> MerchantGroups(IEndpointRouteBuilder app) =>
        Groups(app).Select(g => g.RequireAuthorization(JwtSetup.MerchantPolicy));

    /// <summary>The groups for endpoints any signed-in user may call.</summary>
    public static IEnumerable<RouteGroupBuilder> SignedInGroups(IEndpointRouteBuilder app) =>
        Groups(app).Select(g => g.RequireAuthorization());
}
