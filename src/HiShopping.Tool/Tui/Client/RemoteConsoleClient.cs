using System.Globalization;
using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Admin;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Auth;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;

namespace HiShopping.Tool.Tui.Client;

/// <summary>The console over the Web API: the same screens, data from a running <c>hishop serve</c> with the JWT.</summary>
public sealed class RemoteConsoleClient(Uri server, HttpMessageHandler? handler = null) : IConsoleClient, IOperatorConsole
{
    /// <summary>The Operator API, relative to the Web API's base (<c>api/v1/web/</c>).</summary>
    private const string Admin = "../admin/";

    private readonly WebApiConnection _api = new(server, handler);

    public string Describe => $"remote · {_api.Server.GetLeftPart(UriPartial.Authority)}";

    public Uri ApiBase => new(_api.Server.GetLeftPart(UriPartial.Authority));

    public ConsoleSession? Session { get; private set; }

    public IOperatorConsole? Operator => Session?.IsOperator == true ? this : null;

    public async Task<ConsoleSession> LoginAsync(string email, string password, string? captchaId = null, string? captchaAnswer = null)
    {
        var token = await _api.SendAsync<TokenResponse>(HttpMethod.Post, "login",
            WebApiConnection.Json(new LoginRequest { Email = email, Password = password, CaptchaId = captchaId, CaptchaCode = captchaAnswer }));
        _api.SetToken(token.Token);
        Session = new ConsoleSession(token.User.Id, token.User.Email, token.User.Role, token.User.HasMerchant);
        return Session;
    }

    public async Task<CaptchaChallenge> CaptchaAsync()
    {
        var captcha = await _api.SendAsync<CaptchaResponse>(HttpMethod.Get, "captcha");
        var png = Convert.FromBase64String(captcha.Image[(captcha.Image.IndexOf(',') + 1)..]);
        return new CaptchaChallenge(captcha.CaptchaId, png);
    }

    public async Task LogoutAsync()
    {
        if (_api.SignedIn)
        {
            try { await _api.SendAsync<LogoutResponse>(HttpMethod.Post, "logout"); }
            catch (HiShopException) { /* the token is gone either way */ }
        }
        _api.SetToken(null);
        Session = null;
    }

    public async Task ChangePasswordAsync(string oldPassword, string newPassword)
    {
        var token = await _api.SendAsync<TokenResponse>(HttpMethod.Put, "password",
            WebApiConnection.Json(new ChangePasswordRequest { OldPassword = oldPassword, NewPassword = newPassword }));
        _api.SetToken(token.Token);
    }

    public async Task<MerchantResponse?> MerchantAsync()
    {
        try { return await _api.SendAsync<MerchantResponse>(HttpMethod.Get, "merchant"); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
    }

    public async Task<MerchantResponse> SaveMerchantAsync(MerchantProfileRequest profile, bool create)
    {
        var saved = await _api.SendAsync<MerchantResponse>(create ? HttpMethod.Post : HttpMethod.Put, "merchant", WebApiConnection.Json(profile));
        if (create && Session is { } s) Session = s with { HasMerchant = true };
        return saved;
    }

    public Task<CreditResponse> CreditAsync() => _api.SendAsync<CreditResponse>(HttpMethod.Get, "credit");

    public Task<PageResponse<LedgerEntryResponse>> TransactionsAsync(TransactionQuery query) =>
        _api.SendAsync<PageResponse<LedgerEntryResponse>>(HttpMethod.Get, "credit/transactions" + Query(Paging(query), Filters(query)));

    public async Task<AppKeys> AppAsync() =>
        new(await _api.SendAsync<AppResponse>(HttpMethod.Get, "app"), await _api.SendAsync<ApiKeyResponse>(HttpMethod.Get, "apikey"));

    public Task<AppResponse> UpdateAppAsync(UpdateAppRequest update) => _api.SendAsync<AppResponse>(HttpMethod.Put, "app", WebApiConnection.Json(update));

    public Task<IssuedApiKeyResponse> RegenerateApiKeyAsync() => _api.SendAsync<IssuedApiKeyResponse>(HttpMethod.Post, "apikey");

    public Task<IssuedSignKeyResponse> RegenerateSignKeyAsync() => _api.SendAsync<IssuedSignKeyResponse>(HttpMethod.Put, "app/cert");

    public Task<IReadOnlyList<CategoryResponse>> CategoriesAsync() => _api.SendAsync<IReadOnlyList<CategoryResponse>>(HttpMethod.Get, "goods/categories");

    public Task<PageResponse<GoodsSummaryResponse>> GoodsAsync(GoodsQuery query) =>
        _api.SendAsync<PageResponse<GoodsSummaryResponse>>(HttpMethod.Get, "goods" + Query(Paging(query),
            ("category_id", query.CategoryId), ("keyword", query.Keyword), ("sort", query.Sort),
            ("min_price", query.MinPrice is { } min ? Money.Format(min) : null), ("max_price", query.MaxPrice is { } max ? Money.Format(max) : null)));

    public async Task<GoodsDetailResponse?> GoodsDetailAsync(string goodsId)
    {
        try { return await _api.SendAsync<GoodsDetailResponse>(HttpMethod.Get, "goods/detail/" + Uri.EscapeDataString(goodsId)); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
    }

    public Task<PageResponse<OrderSummaryResponse>> OrdersAsync(OrderQuery query) =>
        _api.SendAsync<PageResponse<OrderSummaryResponse>>(HttpMethod.Get, "orders" + Query(Paging(query), ("status", query.Status), ("keyword", query.Keyword)));

    public async Task<OrderDetailResponse?> OrderAsync(string orderNo)
    {
        try { return await _api.SendAsync<OrderDetailResponse>(HttpMethod.Get, "orders/" + Uri.EscapeDataString(orderNo)); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
    }

    public Task ExportTransactionsAsync(TransactionQuery filter, string path) =>
        WholeFile.WriteAsync(path, file => _api.DownloadAsync("credit/transactions.csv" + Query([], Filters(filter)), file));

    public Task<OrderDetailResponse> CancelOrderAsync(string orderNo, string? reason) =>
        _api.SendAsync<OrderDetailResponse>(HttpMethod.Post, "orders/" + Uri.EscapeDataString(orderNo) + "/cancel",
            WebApiConnection.Json(new CancelOrderRequest { Reason = reason }));

    public Task<PageResponse<WebhookDeliveryResponse>> DeliveriesAsync(DeliveryQuery query) =>
        _api.SendAsync<PageResponse<WebhookDeliveryResponse>>(HttpMethod.Get, "webhooks/deliveries" + Query(Paging(query), ("status", query.Status)));

    public Task<WebhookDeliveryResponse> RetryDeliveryAsync(string eventId) =>
        _api.SendAsync<WebhookDeliveryResponse>(HttpMethod.Post, "webhooks/deliveries/" + Uri.EscapeDataString(eventId) + "/retry");

    public Task<WebhookTestResponse> TestWebhookAsync() => _api.SendAsync<WebhookTestResponse>(HttpMethod.Post, "webhooks/test");

    // ---- operator, through /api/v1/admin ---------------------------------------------------------------------

    public bool CanImport => false;

    public Task<PageResponse<MerchantSummaryResponse>> MerchantsAsync(MerchantQuery query) =>
        _api.SendAsync<PageResponse<MerchantSummaryResponse>>(HttpMethod.Get, Admin + "merchants" + Query(Paging(query), ("keyword", query.Keyword)));

    public Task<LedgerEntryResponse> TopUpAsync(long merchantId, long amount, string? memo) =>
        _api.SendAsync<LedgerEntryResponse>(HttpMethod.Post, Merchant(merchantId, "credit/topup"),
            WebApiConnection.Json(new CreditMoveRequest { Amount = Amount.Of(amount), Memo = memo }));

    public Task<LedgerEntryResponse> AdjustAsync(long merchantId, long amount, string memo) =>
        _api.SendAsync<LedgerEntryResponse>(HttpMethod.Post, Merchant(merchantId, "credit/adjust"),
            WebApiConnection.Json(new CreditMoveRequest { Amount = Amount.Of(amount), Memo = memo }));

    public Task SetLimitAsync(long merchantId, long limit) =>
        _api.SendAsync<CreditResponse>(HttpMethod.Put, Merchant(merchantId, "credit-limit"), WebApiConnection.Json(new CreditLimitRequest { CreditLimit = Amount.Of(limit) }));

    public Task SetFeeAsync(long merchantId, int bps) =>
        _api.SendAsync<CreditResponse>(HttpMethod.Put, Merchant(merchantId, "fee"), WebApiConnection.Json(new FeeRateRequest { FeeRateBps = bps }));

    public Task SetAppStatusAsync(long merchantId, string status) =>
        _api.SendAsync<AppResponse>(HttpMethod.Post, Merchant(merchantId, status == "active" ? "app/enable" : "app/disable"));

    public Task<CreditResponse> MerchantCreditAsync(long merchantId) => _api.SendAsync<CreditResponse>(HttpMethod.Get, Merchant(merchantId, "credit"));

    public Task<PageResponse<LedgerEntryResponse>> MerchantTransactionsAsync(long merchantId, TransactionQuery query) =>
        _api.SendAsync<PageResponse<LedgerEntryResponse>>(HttpMethod.Get, Merchant(merchantId, "credit/transactions") + Query(Paging(query), Filters(query)));

    public Task ExportMerchantTransactionsAsync(long merchantId, TransactionQuery filter, string path) =>
        WholeFile.WriteAsync(path, file => _api.DownloadAsync(Merchant(merchantId, "credit/transactions.csv") + Query([], Filters(filter)), file));

    public Task<PageResponse<AdminUserResponse>> UsersAsync(UserQuery query) =>
        _api.SendAsync<PageResponse<AdminUserResponse>>(HttpMethod.Get, Admin + "users" + Query(Paging(query), ("keyword", query.Keyword), ("role", query.Role)));

    public Task<IssuedUserResponse> CreateUserAsync(string email, string role) =>
        _api.SendAsync<IssuedUserResponse>(HttpMethod.Post, Admin + "users", WebApiConnection.Json(new CreateUserRequest { Email = email, Role = role }));

    public Task SetUserStatusAsync(long userId, string status) =>
        _api.SendAsync<AdminUserResponse>(HttpMethod.Post, User(userId, status == "active" ? "enable" : "disable"));

    public Task<UnlockResponse> UnlockAsync(long userId) => _api.SendAsync<UnlockResponse>(HttpMethod.Post, User(userId, "unlock"));

    public Task<IssuedUserResponse> ResetPasswordAsync(long userId) => _api.SendAsync<IssuedUserResponse>(HttpMethod.Post, User(userId, "password"));

    Task<PageResponse<OrderSummaryResponse>> IOperatorConsole.OrdersAsync(OrderQuery query) =>
        _api.SendAsync<PageResponse<OrderSummaryResponse>>(HttpMethod.Get, Admin + "orders" + Query(Paging(query), ("status", query.Status), ("keyword", query.Keyword),
            ("merchant_id", query.MerchantId?.ToString(CultureInfo.InvariantCulture))));

    async Task<OrderDetailResponse?> IOperatorConsole.OrderAsync(string orderNo)
    {
        try { return await _api.SendAsync<OrderDetailResponse>(HttpMethod.Get, Order(orderNo, "")); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
    }

    public Task<OrderDetailResponse> ProcessAsync(string orderNo) => _api.SendAsync<OrderDetailResponse>(HttpMethod.Post, Order(orderNo, "/process"));

    public Task<OrderDetailResponse> ShipAsync(string orderNo, string carrier, string trackingNo) =>
        _api.SendAsync<OrderDetailResponse>(HttpMethod.Post, Order(orderNo, "/ship"), WebApiConnection.Json(new ShipOrderRequest { Carrier = carrier, TrackingNo = trackingNo }));

    public Task<OrderDetailResponse> DeliverAsync(string orderNo) => _api.SendAsync<OrderDetailResponse>(HttpMethod.Post, Order(orderNo, "/deliver"));

    public Task<OrderDetailResponse> CancelAsync(string orderNo, string? reason) =>
        _api.SendAsync<OrderDetailResponse>(HttpMethod.Post, Order(orderNo, "/cancel"), WebApiConnection.Json(new CancelOrderRequest { Reason = reason }));

    public Task<CatalogStatsResponse> CatalogStatsAsync() => _api.SendAsync<CatalogStatsResponse>(HttpMethod.Get, Admin + "catalog/stats");

    public Task<ImportResult> ImportCatalogAsync(string path, Action<ImportProgress> progress, Action<ImportRejection> rejected) =>
        Task.FromException<ImportResult>(new HiShopException(ErrorCode.Forbidden,
            "A catalog file is imported where the store is: run hishop catalog import FILE on the server."));

    private static string Merchant(long merchantId, string rest) => $"{Admin}merchants/{merchantId.ToString(CultureInfo.InvariantCulture)}/{rest}";

    private static string User(long userId, string rest) => $"{Admin}users/{userId.ToString(CultureInfo.InvariantCulture)}/{rest}";

    private static string Order(string orderNo, string rest) => $"{Admin}orders/{Uri.EscapeDataString(orderNo)}{rest}";

    private static (string, string?)[] Filters(TransactionQuery query) =>
        [("type", query.Type), ("from", query.From?.ToString(CultureInfo.InvariantCulture)), ("to", query.To?.ToString(CultureInfo.InvariantCulture))];

    public void Dispose() => _api.Dispose();

    private static (string, string?)[] Paging(PagedQuery query) =>
        [("page", query.Page.ToString(CultureInfo.InvariantCulture)), ("page_size", query.PageSize.ToString(CultureInfo.InvariantCulture))];

    private static string Query((string Name, string? Value)[] paging, params (string Name, string? Value)[] parameters)
    {
        var parts = paging.Concat(parameters).Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
