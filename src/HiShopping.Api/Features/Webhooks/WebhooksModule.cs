using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Webhooks;

/// <summary>The signed-in merchant's webhook deliveries: the list, a retry, a test ping.</summary>
public sealed class WebhooksModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.MerchantGroups(app))
        {
            group.MapGet("/webhooks/deliveries", List).WithQuery(QueryDocs.Deliveries);
            group.MapPost("/webhooks/deliveries/{event_id}/retry", Retry);
            group.MapPost("/webhooks/test", Test);
        }
    }

    private static ApiResult<PageResponse<WebhookDeliveryResponse>> List(HttpContext context, IMerchantService merchants, IWebhookService webhooks)
    {
        var merchant = merchants.GetByUser(CurrentUser.Id(context));
        var q = new QueryReader(context.Request);
        var query = q.Paged(new DeliveryQuery { MerchantId = merchant.Id, Status = q.String("status"), Cursor = q.String("cursor") });
        q.ThrowIfInvalid();
        return Envelope.Ok(PageResponse<WebhookDeliveryResponse>.From(webhooks.List(query), WebhookDeliveryResponse.From));
    }

    private static ApiResult<WebhookDeliveryResponse> Retry(string event_id, HttpContext context, IMerchantService merchants, IWebhookService webhooks)
    {
        var merchant = merchants.GetByUser(CurrentUser.Id(context));
        return Envelope.Ok(WebhookDeliveryResponse.From(webhooks.Retry(event_id, merchant.Id)));
    }

    private static ApiResult<WebhookTestResponse> Test(HttpContext context, IMerchantService merchants, IWebhookService webhooks)
    {
        var merchant = merchants.GetByUser(CurrentUser.Id(context));
        return Envelope.Ok(new WebhookTestResponse(webhooks.Test(merchant.Id)));
    }
}
