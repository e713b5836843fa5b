using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using HiShopping.Api.Features.Admin;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Auth;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Health;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Store;

namespace HiShopping.Api.Contracts;

/// <summary>
/// The one JSON shape of the product, source-generated: snake_case names, nulls written out, UTF-8 kept readable,
/// money as two-decimal strings (<see cref="Amount"/>), times as ISO 8601 UTC, duplicate properties refused.
/// The API writes every answer with it, the CLI's <c>--json</c> prints with it, and the remote console reads with it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
// Requests.
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(MerchantProfileRequest))]
[JsonSerializable(typeof(UpdateAppRequest))]
[JsonSerializable(typeof(PlaceOrderRequest))]
[JsonSerializable(typeof(CancelOrderRequest))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(CreditMoveRequest))]
[JsonSerializable(typeof(CreditLimitRequest))]
[JsonSerializable(typeof(FeeRateRequest))]
[JsonSerializable(typeof(ShipOrderRequest))]
// Answers.
[JsonSerializable(typeof(Envelope<HealthResponse>))]
[JsonSerializable(typeof(Envelope<TokenResponse>))]
[JsonSerializable(typeof(Envelope<CaptchaResponse>))]
[JsonSerializable(typeof(Envelope<LogoutResponse>))]
[JsonSerializable(typeof(Envelope<MerchantResponse>))]
[JsonSerializable(typeof(Envelope<ApiKeyResponse>))]
[JsonSerializable(typeof(Envelope<IssuedApiKeyResponse>))]
[JsonSerializable(typeof(Envelope<IssuedSignKeyResponse>))]
[JsonSerializable(typeof(Envelope<AppResponse>))]
[JsonSerializable(typeof(Envelope<PageResponse<GoodsSummaryResponse>>))]
[JsonSerializable(typeof(Envelope<IReadOnlyList<CategoryResponse>>))]
[JsonSerializable(typeof(Envelope<GoodsDetailResponse>))]
[JsonSerializable(typeof(Envelope<PageResponse<OrderSummaryResponse>>))]
[JsonSerializable(typeof(Envelope<OrderDetailResponse>))]
[JsonSerializable(typeof(Envelope<CreditResponse>))]
[JsonSerializable(typeof(Envelope<OpenCreditResponse>))]
[JsonSerializable(typeof(Envelope<PageResponse<LedgerEntryResponse>>))]
[JsonSerializable(typeof(Envelope<JsonElement>))]
[JsonSerializable(typeof(Envelope<CatalogStatsResponse>))]
[JsonSerializable(typeof(Envelope<LedgerEntryResponse>))]
[JsonSerializable(typeof(Envelope<PageResponse<MerchantSummaryResponse>>))]
[JsonSerializable(typeof(Envelope<PageResponse<WebhookDeliveryResponse>>))]
[JsonSerializable(typeof(Envelope<WebhookDeliveryResponse>))]
[JsonSerializable(typeof(Envelope<WebhookTestResponse>))]
[JsonSerializable(typeof(Envelope<PageResponse<AdminUserResponse>>))]
[JsonSerializable(typeof(Envelope<AdminUserResponse>))]
[JsonSerializable(typeof(Envelope<IssuedUserResponse>))]
[JsonSerializable(typeof(Envelope<UnlockResponse>))]
[JsonSerializable(typeof(Envelope<MerchantOverviewResponse>))]
[JsonSerializable(typeof(Envelope<PageResponse<AuditEntryResponse>>))]
// Webhook events.
[JsonSerializable(typeof(WebhookEventPayload))]
[JsonSerializable(typeof(WebhookTestData))]
[JsonSerializable(typeof(OrderDetailResponse))]
[JsonSerializable(typeof(LedgerEntryResponse))]
[JsonSerializable(typeof(OpenCreditResponse))]
// The CLI's --json.
[JsonSerializable(typeof(IReadOnlyList<UserResponse>))]
[JsonSerializable(typeof(IReadOnlyList<MerchantSummaryResponse>))]
[JsonSerializable(typeof(MerchantOverviewResponse))]
[JsonSerializable(typeof(PageResponse<OrderSummaryResponse>))]
[JsonSerializable(typeof(CatalogStatsResponse))]
[JsonSerializable(typeof(PageResponse<WebhookDeliveryResponse>))]
// The data of errors.
[JsonSerializable(typeof(FieldErrors))]
[JsonSerializable(typeof(OrderRef))]
[JsonSerializable(typeof(SkuUnavailable))]
[JsonSerializable(typeof(MissingHeaders))]
[JsonSerializable(typeof(SignatureMismatch))]
[JsonSerializable(typeof(ServerTime))]
[JsonSerializable(typeof(CaptchaNeeded))]
// What the catalog stores as JSON.
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>The context with the product's options; use this one, not <see cref="JsonSerializerContext"/>'s Default.</summary>
    public static ApiJsonContext Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Two values for one name would let a signed body mean two things: refuse them.
        AllowDuplicateProperties = false,
        Converters = { new UtcTimeJsonConverter() },
    });

    /// <summary>The same, indented, for people (the CLI's <c>--json</c>).</summary>
    public static ApiJsonContext Indented { get; } = new(new JsonSerializerOptions(Wire.Options) { WriteIndented = true });

    /// <summary>The metadata of <typeparamref name="T"/>; a type missing from the context is a bug, found by the contract tests.</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> Info<T>(ApiJsonContext? context = null) =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>?)(context ?? Wire).GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T)} is not in ApiJsonContext.");
}
