using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Orders;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;

namespace HiShopping.Api.Features.Webhooks;

/// <summary>An event and where its delivery to notify_url stands.</summary>
public sealed record WebhookDeliveryResponse(
    string EventId, string Type, string Status, long Attempts, long? LastStatusCode, string? LastError,
    DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(
        d.EventId, d.Type, d.Status, d.Attempts, d.LastStatusCode, d.LastError, UtcTimeJsonConverter.From(d.NextAttemptAt),
        UtcTimeJsonConverter.From(d.CreatedAt), UtcTimeJsonConverter.From(d.DeliveredAt));
}

/// <summary>The event a test ping queued.</summary>
public sealed record WebhookTestResponse(string EventId);

/// <summary>The data of a <c>webhook.test</c> event.</summary>
public sealed record WebhookTestData(string AppId, string Message);

/// <summary>An event as the receiver gets it: <c>data</c> is the API's own answer for the record.</summary>
public sealed record WebhookEventPayload(string Id, string Type, DateTimeOffset CreatedAt, JsonElement Data);

/// <summary>An event's data in the API's own shapes, for the Store's outbox.</summary>
public sealed class EventData : IEventData
{
    public string Order(OrderDetail order) => JsonSerializer.Serialize(OrderDetailResponse.From(order), ApiJsonContext.Info<OrderDetailResponse>());

    public string Entry(LedgerEntry entry) => JsonSerializer.Serialize(LedgerEntryResponse.From(entry), ApiJsonContext.Info<LedgerEntryResponse>());

    public string Credit(long balance, long creditLimit, string currency) =>
        JsonSerializer.Serialize(new OpenCreditResponse(Amount.Of(balance), Amount.Of(creditLimit), Amount.Of(balance + creditLimit), currency),
            ApiJsonContext.Info<OpenCreditResponse>());

    public string Test(string appId, string message) => JsonSerializer.Serialize(new WebhookTestData(appId, message), ApiJsonContext.Info<WebhookTestData>());
}
