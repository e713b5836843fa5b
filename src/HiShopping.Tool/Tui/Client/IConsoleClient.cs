using HiShopping.Api.Features.Admin;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Api.Contracts;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;

namespace HiShopping.Tool.Tui.Client;

/// <summary>Who is signed in to the console.</summary>
public sealed record ConsoleSession(long UserId, string Email, string Role, bool HasMerchant)
{
    public bool IsOperator => Role == Roles.Operator;
}

/// <summary>A captcha to show in the terminal: its id and its PNG, which the sign-in screen draws to fit the terminal.</summary>
public sealed record CaptchaChallenge(string Id, byte[] Png);

/// <summary>The merchant's app and its API key, as the Keys screen shows them.</summary>
public sealed record AppKeys(AppResponse App, ApiKeyResponse ApiKey);

/// <summary>
/// What the console's screens need, whatever the data comes from: the Store services over a data directory
/// (<see cref="LocalConsoleClient"/>, which maps with the contracts' own <c>From</c>) or the Web API over HTTP
/// (<see cref="RemoteConsoleClient"/>, which reads the same contracts). Either way the screens see the API's shapes,
/// and failures are <see cref="HiShopping.Store.HiShopException"/>s with the SPEC codes.
/// </summary>
public interface IConsoleClient : IDisposable
{
    /// <summary>"local" or "remote", and where: shown in the header.</summary>
    string Describe { get; }

    /// <summary>The server the APIs are at: the one connected to, or (local) the configured <c>serve</c> address.</summary>
    Uri ApiBase { get; }

    ConsoleSession? Session { get; }

    /// <summary>Signs in. A remote server that wants a captcha answers 3004; then call <see cref="CaptchaAsync"/>.</summary>
    Task<ConsoleSession> LoginAsync(string email, string password, string? captchaId = null, string? captchaAnswer = null);

    Task<CaptchaChallenge> CaptchaAsync();

    Task LogoutAsync();

    Task ChangePasswordAsync(string oldPassword, string newPassword);

    // Merchant screens.
    Task<MerchantResponse?> MerchantAsync();
    Task<MerchantResponse> SaveMerchantAsync(MerchantProfileRequest profile, bool create);
    Task<CreditResponse> CreditAsync();
    Task<PageResponse<LedgerEntryResponse>> TransactionsAsync(TransactionQuery query);

    /// <summary>Every ledger entry matching the filters, as CSV, into the file at <paramref name="path"/>.</summary>
    Task ExportTransactionsAsync(TransactionQuery filter, string path);
    Task<AppKeys> AppAsync();

    /// <summary>Changes the app's settings (notify URL, IP allow-list, low-credit alert); a field left null stays.</summary>
    Task<AppResponse> UpdateAppAsync(UpdateAppRequest update);
    Task<IssuedApiKeyResponse> RegenerateApiKeyAsync();
    Task<IssuedSignKeyResponse> RegenerateSignKeyAsync();
    Task<IReadOnlyList<CategoryResponse>> CategoriesAsync();
    Task<PageResponse<GoodsSummaryResponse>> GoodsAsync(GoodsQuery query);
    Task<GoodsDetailResponse?> GoodsDetailAsync(string goodsId);
    Task<PageResponse<OrderSummaryResponse>> OrdersAsync(OrderQuery query);
    Task<OrderDetailResponse?> OrderAsync(string orderNo);

    /// <summary>The merchant cancels a paid or processing order of their own; it is refunded in full.</summary>
    Task<OrderDetailResponse> CancelOrderAsync(string orderNo, string? reason);
    Task<PageResponse<WebhookDeliveryResponse>> DeliveriesAsync(DeliveryQuery query);
    Task<WebhookDeliveryResponse> RetryDeliveryAsync(string eventId);
    Task<WebhookTestResponse> TestWebhookAsync();

    /// <summary>The operator's tools; null unless an operator is signed in.</summary>
    IOperatorConsole? Operator { get; }
}

/// <summary>
/// The operator screens' operations: locally straight to the Store services, remotely through the Operator API
/// (<c>/api/v1/admin</c>). Either way each change is audited with the operator's id.
/// </summary>
public interface IOperatorConsole
{
    Task<PageResponse<MerchantSummaryResponse>> MerchantsAsync(MerchantQuery query);
    Task<LedgerEntryResponse> TopUpAsync(long merchantId, long amount, string? memo);
    Task<LedgerEntryResponse> AdjustAsync(long merchantId, long amount, string memo);
    Task SetLimitAsync(long merchantId, long limit);
    Task SetFeeAsync(long merchantId, int bps);
    Task SetAppStatusAsync(long merchantId, string status);
    Task<CreditResponse> MerchantCreditAsync(long merchantId);
    Task<PageResponse<LedgerEntryResponse>> MerchantTransactionsAsync(long merchantId, TransactionQuery query);
    Task ExportMerchantTransactionsAsync(long merchantId, TransactionQuery filter, string path);

    Task<PageResponse<AdminUserResponse>> UsersAsync(UserQuery query);

    /// <summary>Creates a user with a generated password, returned this once.</summary>
    Task<IssuedUserResponse> CreateUserAsync(string email, string role);
    Task SetUserStatusAsync(long userId, string status);
    Task<UnlockResponse> UnlockAsync(long userId);

    /// <summary>Gives the user a generated password, returned this once; their tokens stop working.</summary>
    Task<IssuedUserResponse> ResetPasswordAsync(long userId);

    Task<PageResponse<OrderSummaryResponse>> OrdersAsync(OrderQuery query);
    Task<OrderDetailResponse?> OrderAsync(string orderNo);
    Task<OrderDetailResponse> ProcessAsync(string orderNo);
    Task<OrderDetailResponse> ShipAsync(string orderNo, string carrier, string trackingNo);
    Task<OrderDetailResponse> DeliverAsync(string orderNo);
    Task<OrderDetailResponse> CancelAsync(string orderNo, string? reason);
    Task<CatalogStatsResponse> CatalogStatsAsync();

    /// <summary>False remotely: a catalog file is imported where the store is, with <c>hishop catalog import</c>.</summary>
    bool CanImport { get; }
    Task<ImportResult> ImportCatalogAsync(string path, Action<ImportProgress> progress, Action<ImportRejection> rejected);
}
