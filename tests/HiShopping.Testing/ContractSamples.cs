using System.Text.Json;
using HiShopping.Api.Contracts;
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

namespace HiShopping.Testing;

/// <summary>
/// One filled-in example of every contract record, serialized by the API's one context: the golden files in
/// tests/HiShopping.Testing/Golden hold what each must look like on the wire, and the shapes (the property paths) let
/// other tests — the CLI's --json — check that they print the very same objects.
/// </summary>
public static class ContractSamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 10, 48, 55, 123, TimeSpan.Zero);
    private static readonly Amount Twelve = Amount.Of(1250);

    private static readonly AdminUserResponse AdminUser = new(7, "shop@example.com", "merchant", "active", true, At.AddMinutes(15), At);
    private static readonly UserResponse User = new(7, "shop@example.com", "merchant", "active", true, At);
    private static readonly BankAccountResponse Bank = new("First Bank", "Example Shop", "****4931", "DEUTDEFF");
    private static readonly MerchantResponse Merchant = new(3, "shop@example.com", "Example Shop", "Ada", "+1 555 0100", "ada@example.com", "US",
        "1 Market St", "https://shop.example.com", Bank, 150, "active", At, At);
    private static readonly AppResponse App = new("app_7f3a9c2e51b04d6e", "Example Shop", "active", "https://shop.example.com/hook", ["203.0.113.0/24"],
        true, true, At, new RateLimitResponse(1000, 2000), Amount.Of(50_000), At);
    private static readonly ApiKeyResponse ApiKey = new("hk_…9f3a", At, null);
    private static readonly CreditResponse Credit = new(Twelve, Amount.Of(50_000), Amount.Of(51_250), Amount.Of(100_000), Amount.Of(48_750), Amount.Of(0),
        0.4875m, "USD", "active", [new DailyCreditResponse(new DateOnly(2026, 11, 28), Amount.Of(100_000), Amount.Of(48_750), Amount.Of(0))]);
    private static readonly ShippingDetails Shipping = new()
    {
        Name = "Ada Lovelace", Phone = "+1 555 0100", Country = "US", State = "CA", City = "San Francisco", Address1 = "1 Market St", Address2 = null, PostalCode = "94105",
    };
    private static readonly OrderSummaryResponse OrderSummary = new("HS202611280RJ7Q2K8ZT4M9X", 3, "MO-1001", "paid", Amount.Of(4750), Amount.Of(71), Amount.Of(4821),
        "USD", 2, At, At);
    private static readonly OrderDetailResponse OrderDetail = new("HS202611280RJ7Q2K8ZT4M9X", 3, "MO-1001", "shipped", Amount.Of(4750), Amount.Of(71), Amount.Of(4821), "USD", 2,
        [new OrderItemResponse("sku-100001", "gd-100001", "Phone Case", new Dictionary<string, string> { ["Color"] = "Red" }, Amount.Of(2375), 2, Amount.Of(4750))],
        Shipping, "gift", [new OrderHistoryResponse("paid", At, "Order placed and paid from credit.")], new TrackingResponse("DHL", "JD0123"),
        [new LedgerReferenceResponse("CR202611280RJ7Q2K8ZT4M9Y", "ORDER", Amount.Of(-4821))], Amount.Of(45_179), At, At);
    private static readonly LedgerEntryResponse Entry = new("CR202611280RJ7Q2K8ZT4M9Y", "ORDER", Amount.Of(-4821), Amount.Of(50_000), Amount.Of(45_179),
        "HS202611280RJ7Q2K8ZT4M9X", "Order HS202611280RJ7Q2K8ZT4M9X", "USD", At);
    private static readonly WebhookDeliveryResponse Delivery = new("evt_0193a1b2c3d47e8f9a0b1c2d3e4f5a6b", "order.paid", "pending", 2, 500, "HTTP 500",
        At, At, null);
    private static readonly GoodsSummaryResponse GoodsSummary = new("gd-100001", "Phone Case", "cat-3", "https://img.example/1.jpg", Amount.Of(1999), Amount.Of(2499), "USD", 3, true);
    private static readonly CategoryResponse Category = new("cat-1", "Home & Kitchen", null, 12, [new CategoryResponse("cat-3", "Lamps", "cat-1", 12, [])]);

    /// <summary>Every contract by the name of its golden file.</summary>
    public static IReadOnlyDictionary<string, object> All { get; } = new Dictionary<string, object>
    {
        // Requests.
        ["LoginRequest"] = new LoginRequest { Email = "shop@example.com", Password = "correct horse 42", CaptchaId = "c0ffee", CaptchaCode = "K7MWX" },
        ["ChangePasswordRequest"] = new ChangePasswordRequest { OldPassword = "correct horse 42", NewPassword = "battery staple 43" },
        ["MerchantProfileRequest"] = new MerchantProfileRequest
        {
            CompanyName = "Example Shop", ContactName = "Ada", ContactPhone = "+1 555 0100", ContactEmail = "ada@example.com", Country = "US",
            Address = "1 Market St", Website = "https://shop.example.com",
            BankAccount = new BankAccountRequest { BankName = "First Bank", AccountName = "Example Shop", AccountNumber = "DE44500105175407324931", SwiftCode = "DEUTDEFF" },
        },
        ["UpdateAppRequest"] = new UpdateAppRequest
        {
            Name = "Example Shop", NotifyUrl = "https://shop.example.com/hook", IpWhitelist = ["203.0.113.0/24"], LowCreditThreshold = "500.00",
        },
        ["PlaceOrderRequest"] = new PlaceOrderRequest
        {
            MerchantOrderNo = "MO-1001", Items = [new OrderLineRequest { SkuId = "sku-100001", Quantity = 2 }], Shipping = Shipping, Remark = "gift",
        },
        ["CancelOrderRequest"] = new CancelOrderRequest { Reason = "changed my mind" },
        ["CreateUserRequest"] = new CreateUserRequest { Email = "shop@example.com", Password = null, Role = "merchant" },
        ["ResetPasswordRequest"] = new ResetPasswordRequest { Password = "battery staple 43" },
        ["CreditMoveRequest"] = new CreditMoveRequest { Amount = Amount.Of(100_000), Memo = "wire 2026-11-28" },
        ["CreditLimitRequest"] = new CreditLimitRequest { CreditLimit = Amount.Of(50_000) },
        ["FeeRateRequest"] = new FeeRateRequest { FeeRateBps = 150 },
        ["ShipOrderRequest"] = new ShipOrderRequest { Carrier = "DHL", TrackingNo = "JD014600006281" },
        ["AdminUserResponse"] = AdminUser,
        ["IssuedUserResponse"] = new IssuedUserResponse(AdminUser, "Xq7mT2kPz9RwB4nH6cVd"),
        ["UnlockResponse"] = new UnlockResponse(AdminUser, true),
        ["AuditEntryResponse"] = new AuditEntryResponse(41, At, 2, "ops@example.com", "credit.topup", "merchant 3"),
        // Answers.
        ["HealthResponse"] = new HealthResponse("ok", 2, "0.1.0"),
        ["UserResponse"] = User,
        ["TokenResponse"] = new TokenResponse("eyJ…", "Bearer", 86400, At, User),
        ["CaptchaResponse"] = new CaptchaResponse("c0ffee", "data:image/png;base64,iVBORw0KGgo=", 300),
        ["LogoutResponse"] = new LogoutResponse(true),
        ["MerchantResponse"] = Merchant,
        ["MerchantSummaryResponse"] = new MerchantSummaryResponse(3, 7, "shop@example.com", "Example Shop", "active", "active", Twelve, Amount.Of(50_000),
            Amount.Of(51_250), 150, "app_7f3a9c2e51b04d6e", "active", At),
        ["MerchantOverviewResponse"] = new MerchantOverviewResponse(Merchant, "active", App, ApiKey, Credit),
        ["ApiKeyResponse"] = ApiKey,
        ["IssuedApiKeyResponse"] = new IssuedApiKeyResponse("hk_0123456789abcdefghijklmnopqrstuvwxyz9f3a", At),
        ["IssuedSignKeyResponse"] = new IssuedSignKeyResponse("sk_0123456789abcdefghijklmnopqrstuvwxyzabcdefghij", At),
        ["AppResponse"] = App,
        ["GoodsSummaryResponse"] = GoodsSummary,
        ["GoodsDetailResponse"] = new GoodsDetailResponse("gd-100001", "Phone Case", "Fits most phones.", "cat-3",
            [new CategoryRefResponse("cat-1", "Home & Kitchen"), new CategoryRefResponse("cat-3", "Lamps")], ["https://img.example/1.jpg"],
            new Dictionary<string, string> { ["Brand"] = "Acme" },
            [new SkuResponse("sku-100001", new Dictionary<string, string> { ["Color"] = "Red" }, Amount.Of(1999), 276, null)],
            Amount.Of(1999), Amount.Of(2499), "USD", At),
        ["CategoryResponse"] = Category,
        ["CatalogStatsResponse"] = new CatalogStatsResponse(41, 29, 348, 348, 1530, 1500, At),
        ["OrderSummaryResponse"] = OrderSummary,
        ["OrderDetailResponse"] = OrderDetail,
        ["CreditResponse"] = Credit,
        ["OpenCreditResponse"] = new OpenCreditResponse(Twelve, Amount.Of(50_000), Amount.Of(51_250), "USD"),
        ["LedgerEntryResponse"] = Entry,
        ["PageResponse_OrderSummaryResponse"] = new PageResponse<OrderSummaryResponse>([OrderSummary], 1, 20, 1),
        ["PageResponse_LedgerEntryResponse"] = new PageResponse<LedgerEntryResponse>([Entry], 1, 20, 1),
        ["PageResponse_GoodsSummaryResponse"] = new PageResponse<GoodsSummaryResponse>([GoodsSummary], 1, 20, 1),
        ["Envelope_OrderDetailResponse"] = new Envelope<OrderDetailResponse>(0, "success", OrderDetail, "01JD6Q5K8ZQ4V0Y3N7M2B1C9XA"),
        // The data of errors.
        ["FieldErrors"] = new FieldErrors(new Dictionary<string, string[]> { ["items[0].quantity"] = ["items[0].quantity must be 1–999."] }),
        ["OrderRef"] = new OrderRef("HS202611280RJ7Q2K8ZT4M9X", "paid"),
        ["SkuUnavailable"] = new SkuUnavailable("sku-100001", 2),
        ["MissingHeaders"] = new MissingHeaders(["X-Nonce"]),
        ["SignatureMismatch"] = new SignatureMismatch("GET\n/api/v1/open/credit\n\napp_7f3a9c2e51b04d6e\n1767225600\nn0nce-0001\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ["ServerTime"] = new ServerTime(1767225600),
        ["CaptchaNeeded"] = new CaptchaNeeded(true),
        // Webhooks.
        ["WebhookDeliveryResponse"] = Delivery,
        ["PageResponse_WebhookDeliveryResponse"] = new PageResponse<WebhookDeliveryResponse>([Delivery], 1, 20, 1) { NextCursor = "41" },
        ["WebhookTestResponse"] = new WebhookTestResponse("evt_0193a1b2c3d47e8f9a0b1c2d3e4f5a6b"),
        ["WebhookEventPayload"] = new WebhookEventPayload("evt_0193a1b2c3d47e8f9a0b1c2d3e4f5a6b", "credit.topup", At,
            JsonSerializer.SerializeToElement(Entry, ApiJsonContext.Info<LedgerEntryResponse>())),
    };

    /// <summary>The wire form of a contract, indented: what the golden file holds.</summary>
    public static string Serialize(object value) =>
        JsonSerializer.Serialize(value, ApiJsonContext.Indented.GetTypeInfo(value.GetType())
            ?? throw new InvalidOperationException($"{value.GetType()} is not in ApiJsonContext."));

    public static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json");

    /// <summary>The shape of some JSON: every property path (array items as []), sorted — values left out.</summary>
    public static IReadOnlyList<string> Shape(JsonElement json)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                        // Dictionaries of the catalog (spec, attributes) and of errors carry data as names: keep the path only.
                        Walk(p.Value, path.EndsWith(".spec", StringComparison.Ordinal) || path.EndsWith(".attributes", StringComparison.Ordinal) || path.EndsWith(".errors", StringComparison.Ordinal)
                            ? path + ".*" : $"{path}.{p.Name}");
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) Walk(item, path + "[]");
                    break;
                default:
                    paths.Add(path);
                    break;
            }
        }
        Walk(json, "$");
        return paths.ToList();
    }
}
