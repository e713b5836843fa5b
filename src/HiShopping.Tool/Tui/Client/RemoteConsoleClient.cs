using System.Globalization;
using HiShopping.Api.Contracts;
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
public sealed class RemoteConsoleClient(Uri server, HttpMessageHandler? handler = null) : IConsoleClient
{
    private readonly WebApiConnection _api = new(server, handler);

    public string Describe => $"remote · {_api.Server.GetLeftPart(UriPartial.Authority)}";

    public Uri ApiBase => new(_api.Server.GetLeftPart(UriPartial.Authority));

    public ConsoleSession? Session { get; private set; }

    public IOperatorConsole? Operator => null;

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
        return new CaptchaChallenge(captcha.CaptchaId, BlockPicture.FromPng(png, Screens.LoginScreen.CaptchaColumns));
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
        _api.SendAsync<PageResponse<LedgerEntryResponse>>(HttpMethod.Get, "credit/transactions" + Query(Paging(query),
            ("type", query.Type), ("from", query.From?.ToString(CultureInfo.InvariantCulture)), ("to", query.To?.ToString(CultureInfo.InvariantCulture))));

    public async Task<AppKeys> AppAsync() =>
        new(await _api.SendAsync<AppResponse>(HttpMethod.Get, "app"), await _api.SendAsync<ApiKeyResponse>(HttpMethod.Get, "apikey"));

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
        WholeFile.WriteAsync(path, file => _api.DownloadAsync("credit/transactions.csv" + Query([], ("type", filter.Type),
            ("from", filter.From?.ToString(CultureInfo.InvariantCulture)), ("to", filter.To?.ToString(CultureInfo.InvariantCulture))), file));

    public Task<OrderDetailResponse> CancelOrderAsync(string orderNo, string? reason) =>
        _api.SendAsync<OrderDetailResponse>(HttpMethod.Post, "orders/" + Uri.EscapeDataString(orderNo) + "/cancel",
            WebApiConnection.Json(new CancelOrderRequest { Reason = reason }));

    public Task<PageResponse<WebhookDeliveryResponse>> DeliveriesAsync(DeliveryQuery query) =>
        _api.SendAsync<PageResponse<WebhookDeliveryResponse>>(HttpMethod.Get, "webhooks/deliveries" + Query(Paging(query), ("status", query.Status)));

    public Task<WebhookDeliveryResponse> RetryDeliveryAsync(string eventId) =>
        _api.SendAsync<WebhookDeliveryResponse>(HttpMethod.Post, "webhooks/deliveries/" + Uri.EscapeDataString(eventId) + "/retry");

    public Task<WebhookTestResponse> TestWebhookAsync() => _api.SendAsync<WebhookTestResponse>(HttpMethod.Post, "webhooks/test");

    public void Dispose() => _api.Dispose();

    private static (string, string?)[] Paging(PagedQuery query) =>
        [("page", query.Page.ToString(CultureInfo.InvariantCulture)), ("page_size", query.PageSize.ToString(CultureInfo.InvariantCulture))];

    private static string Query((string Name, string? Value)[] paging, params (string Name, string? Value)[] parameters)
    {
        var parts = paging.Concat(parameters).Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
