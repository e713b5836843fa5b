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

    private static ApiResult<PageResponse<WebhookDeliveryResponse>> List(HttpContext context, IWebhookService webhooks)
    {
        var merchantId = CurrentUser.MerchantId(context);
        var q = new QueryReader(context.Request);
        var query = q.Paged(new DeliveryQuery { MerchantId = merchantId, Status = q.String("status"), Cursor = q.String("cursor") });
        q.ThrowIfInvalid();
        return Envelope.Ok(PageResponse<WebhookDeliveryResponse>.From(webhooks.List(query), WebhookDeliveryResponse.From));
    }

    private static ApiResult<WebhookDeliveryResponse> Retry(string event_id, HttpContext context, IWebhookService webhooks)
    {
        var merchantId = CurrentUser.MerchantId(context);
        return Envelope.Ok(WebhookDeliveryResponse.From(webhooks.Retry(event_id, merchantId)));
    }

    private static ApiResult<WebhookTestResponse> Test(HttpContext context, IWebhookService webhooks)
    {
        var merchantId = CurrentUser.MerchantId(context);
        return Envelope.Ok(new WebhookTestResponse(webhooks.Test(merchantId)));
    }
}
