using HiShopping.Store.Catalog;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tui.Client;

/// <summary>Who is signed in to the console.</summary>
public sealed record ConsoleSession(long UserId, string Email, string Role, bool HasMerchant)
{
    public bool IsOperator => Role == Roles.Operator;
}

/// <summary>A captcha to show in the terminal: its id and its picture as rows of block characters.</summary>
public sealed record CaptchaChallenge(string Id, IReadOnlyList<string> Picture);

/// <summary>A merchant as the operator screens list it.</summary>
public sealed record MerchantRow(Merchant Merchant, CreditSummary Credit, MerchantApp App);

/// <summary>
/// What the console's screens need, whatever the data comes from: the Store services over a data directory
/// (<see cref="LocalConsoleClient"/>) or the Web API over HTTP with a token (<see cref="RemoteConsoleClient"/>).
/// Failures are <see cref="HiShopping.Store.HiShopException"/>s with the SPEC codes, so screens show one kind of error.
/// </summary>
public interface IConsoleClient : IDisposable
{
    /// <summary>"local" or "remote", and where: shown in the header.</summary>
    string Describe { get; }

    ConsoleSession? Session { get; }

    /// <summary>Signs in. A remote server that wants a captcha answers 3004; then call <see cref="CaptchaAsync"/>.</summary>
    Task<ConsoleSession> LoginAsync(string email, string password, string? captchaId = null, string? captchaAnswer = null);

    Task<CaptchaChallenge> CaptchaAsync();

    Task LogoutAsync();

    Task ChangePasswordAsync(string oldPassword, string newPassword);

    // Merchant screens.
    Task<Merchant?> MerchantAsync();
    Task<Merchant> SaveMerchantAsync(MerchantProfileInput input, bool create);
    Task<CreditSummary> CreditAsync();
    Task<PageOf<LedgerEntry>> TransactionsAsync(TransactionQuery query);
    Task<MerchantApp> AppAsync();
    Task<IssuedKey> RegenerateApiKeyAsync();
    Task<IssuedKey> RegenerateSignKeyAsync();
    Task<IReadOnlyList<CategoryNode>> CategoriesAsync();
    Task<PageOf<GoodsSummary>> GoodsAsync(GoodsQuery query);
    Task<GoodsDetail?> GoodsDetailAsync(string goodsId);
    Task<PageOf<OrderSummary>> OrdersAsync(OrderQuery query);
    Task<OrderDetail?> OrderAsync(string orderNo);

    /// <summary>The operator's tools; null where the client cannot offer them (remote mode).</summary>
    IOperatorConsole? Operator { get; }
}

/// <summary>The operator screens' operations (local mode: straight to the Store services).</summary>
public interface IOperatorConsole
{
    Task<IReadOnlyList<MerchantRow>> MerchantsAsync();
    Task<LedgerEntry> TopUpAsync(long merchantId, long amount, string? memo);
    Task<LedgerEntry> AdjustAsync(long merchantId, long amount, string memo);
    Task SetLimitAsync(long merchantId, long limit);
    Task SetFeeAsync(long merchantId, int bps);
    Task SetUserStatusAsync(string email, string status);
    Task SetAppStatusAsync(long merchantId, string status);
    Task<PageOf<OrderSummary>> OrdersAsync(OrderQuery query);
    Task<OrderDetail?> OrderAsync(string orderNo);
    Task<OrderDetail> ProcessAsync(string orderNo);
    Task<OrderDetail> ShipAsync(string orderNo, string carrier, string trackingNo);
    Task<OrderDetail> DeliverAsync(string orderNo);
    Task<OrderDetail> CancelAsync(string orderNo, string? reason);
    Task<CatalogStats> CatalogStatsAsync();
    Task<ImportResult> ImportCatalogAsync(string path, Action<ImportProgress> progress, Action<ImportRejection> rejected);
}
