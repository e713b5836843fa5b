using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Tool.Tui.Client;

/// <summary>The console over the Store services of a data directory: the same services the API calls.</summary>
public sealed class LocalConsoleClient : IConsoleClient, IOperatorConsole
{
    private readonly ServiceProvider _services;
    private readonly string _where;

    public LocalConsoleClient(StoreOptions options)
    {
        _services = new ServiceCollection().AddHiShoppingStore(options).BuildServiceProvider();
        _services.GetRequiredService<IStoreInitializer>().Initialize(seedDemoCatalog: true, createOperator: false);
        _where = options.DataDir;
    }

    /// <summary>The client address failed local sign-ins are counted under.</summary>
    private const string LocalClient = "local console";

    public string Describe => $"local · {_where}";

    public ConsoleSession? Session { get; private set; }

    public IOperatorConsole? Operator => Session?.IsOperator == true ? this : null;

    private T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    private long UserId => Session?.UserId ?? throw new HiShopException(ErrorCode.Unauthorized, "Sign in first.");

    private static Task<T> Work<T>(Func<T> work) => Task.Run(work);

    private static Task Work(Action work) => Task.Run(work);

    private long MerchantId() => Get<IMerchantService>().GetByUser(UserId).Id;

    private void RequireOperator()
    {
        if (Session?.IsOperator != true) throw new HiShopException(ErrorCode.Forbidden, "Only operators can do this.");
    }

    public Task<ConsoleSession> LoginAsync(string email, string password, string? captchaId = null, string? captchaAnswer = null) => Work(() =>
    {
        // The same lockout as the Web API's login: 10 wrong passwords lock the account for 15 minutes.
        var normalized = AccountService.NormalizeEmail(email);
        var throttle = Get<ILoginThrottle>();
        var user = throttle.Check(throttle.Begin(normalized, LocalClient), () => Get<IAccountService>().VerifyCredentials(normalized, password));
        Session = new ConsoleSession(user.Id, user.Email, user.Role, user.HasMerchant);
        return Session;
    });

    public Task<CaptchaChallenge> CaptchaAsync() =>
        Task.FromException<CaptchaChallenge>(new HiShopException(ErrorCode.InvalidRequest, "Local mode needs no captcha."));

    public Task LogoutAsync()
    {
        Session = null;
        return Task.CompletedTask;
    }

    public Task ChangePasswordAsync(string oldPassword, string newPassword) =>
        Work(() => { Get<IAccountService>().ChangePassword(UserId, oldPassword, newPassword); });

    public Task<Merchant?> MerchantAsync() => Work(() => Get<IMerchantService>().FindByUser(UserId));

    public Task<Merchant> SaveMerchantAsync(MerchantProfileInput input, bool create) => Work(() =>
    {
        var merchants = Get<IMerchantService>();
        var saved = create ? merchants.Create(UserId, input) : merchants.Update(UserId, input);
        if (create && Session is { } s) Session = s with { HasMerchant = true };
        return saved;
    });

    public Task<CreditSummary> CreditAsync() => Work(() => Get<ICreditService>().Summary(MerchantId()));

    public Task<PageOf<LedgerEntry>> TransactionsAsync(TransactionQuery query) =>
        Work(() => Get<ICreditService>().Transactions(MerchantId(), query));

    public Task<MerchantApp> AppAsync() => Work(() => Get<IAppService>().GetForUser(UserId));

    public Task<IssuedKey> RegenerateApiKeyAsync() => Work(() => Get<IAppService>().RegenerateApiKey(UserId));

    public Task<IssuedKey> RegenerateSignKeyAsync() => Work(() => Get<IAppService>().RegenerateSignKey(UserId));

    public Task<IReadOnlyList<CategoryNode>> CategoriesAsync() => Work(() => Get<ICatalogService>().Categories());

    public Task<PageOf<GoodsSummary>> GoodsAsync(GoodsQuery query) => Work(() => Get<ICatalogService>().ListGoods(query));

    public Task<GoodsDetail?> GoodsDetailAsync(string goodsId) => Work(() => Get<ICatalogService>().GetGoods(goodsId));

    public Task<PageOf<OrderSummary>> OrdersAsync(OrderQuery query) =>
        Work(() => Get<IOrderService>().List(query with { MerchantId = MerchantId() }));

    public Task<OrderDetail?> OrderAsync(string orderNo) => Work(() => Get<IOrderService>().Get(orderNo, MerchantId()));

    // ---- operator --------------------------------------------------------------------------------------------

    public Task<IReadOnlyList<MerchantRow>> MerchantsAsync() => Work<IReadOnlyList<MerchantRow>>(() =>
    {
        RequireOperator();
        var credit = Get<ICreditService>();
        var apps = Get<IAppService>();
        return Get<IMerchantService>().List().Select(m => new MerchantRow(m, credit.Summary(m.Id), apps.GetForMerchant(m.Id))).ToList();
    });

    public Task<LedgerEntry> TopUpAsync(long merchantId, long amount, string? memo) =>
        Work(() => { RequireOperator(); return Get<ICreditService>().TopUp(merchantId, amount, memo, UserId); });

    public Task<LedgerEntry> AdjustAsync(long merchantId, long amount, string memo) =>
        Work(() => { RequireOperator(); return Get<ICreditService>().Adjust(merchantId, amount, memo, UserId); });

    public Task SetLimitAsync(long merchantId, long limit) => Work(() => { RequireOperator(); Get<ICreditService>().SetLimit(merchantId, limit); });

    public Task SetFeeAsync(long merchantId, int bps) => Work(() => { RequireOperator(); Get<ICreditService>().SetFeeRate(merchantId, bps); });

    public Task SetUserStatusAsync(string email, string status) => Work(() => { RequireOperator(); Get<IAccountService>().SetStatus(email, status); });

    public Task SetAppStatusAsync(long merchantId, string status) => Work(() => { RequireOperator(); Get<IAppService>().SetStatus(merchantId, status); });

    Task<PageOf<OrderSummary>> IOperatorConsole.OrdersAsync(OrderQuery query) =>
        Work(() => { RequireOperator(); return Get<IOrderService>().List(query); });

    Task<OrderDetail?> IOperatorConsole.OrderAsync(string orderNo) =>
        Work(() => { RequireOperator(); return Get<IOrderService>().Get(orderNo); });

    public Task<OrderDetail> ProcessAsync(string orderNo) => Work(() => { RequireOperator(); return Get<IOrderService>().Process(orderNo); });

    public Task<OrderDetail> ShipAsync(string orderNo, string carrier, string trackingNo) =>
        Work(() => { RequireOperator(); return Get<IOrderService>().Ship(orderNo, carrier, trackingNo); });

    public Task<OrderDetail> DeliverAsync(string orderNo) => Work(() => { RequireOperator(); return Get<IOrderService>().Deliver(orderNo); });

    public Task<OrderDetail> CancelAsync(string orderNo, string? reason) =>
        Work(() => { RequireOperator(); return Get<IOrderService>().Cancel(orderNo, null, reason); });

    public Task<CatalogStats> CatalogStatsAsync() => Work(() => Get<ICatalogService>().Stats());

    public Task<ImportResult> ImportCatalogAsync(string path, Action<ImportProgress> progress, Action<ImportRejection> rejected) => Work(() =>
    {
        RequireOperator();
        if (!File.Exists(path)) throw new HiShopException(ErrorCode.InvalidRequest, $"No file at {path}.");
        using var stream = File.OpenRead(path);
        return Get<ICatalogImporter>().Import(stream, dryRun: false, rejected, progress);
    });

    public void Dispose() => _services.Dispose();
}
