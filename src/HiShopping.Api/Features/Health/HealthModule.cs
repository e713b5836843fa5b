using Carter;
using HiShopping.Api.Http;
using HiShopping.Store.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Health;

/// <summary><c>/healthz</c>: answers without auth once the store is reachable (GET and HEAD).</summary>
public sealed class HealthModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) => app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], Health);

    private static ApiResult<HealthResponse> Health(Migrator migrator) =>
        Envelope.Ok(new HealthResponse("ok", migrator.CurrentVersion(), ApiInfo.Version));
}
