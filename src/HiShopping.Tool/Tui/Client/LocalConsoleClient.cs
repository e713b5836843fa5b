using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Admin;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Tool.Tui.Client;

/// <summary>
/// The console over the Store services of a data directory — the same services the API calls, from the CLI's own
/// container — answering in the API's contracts (mapped by their <c>From</c>, as the API maps them).
/// </summary>
public sealed class LocalConsoleClient(IServiceProvider services, string where, Uri? apiBase = null) : IConsoleClient, IOperatorConsole
{
    /// <summary>The client address failed local sign-ins are counted under.</summary>
    private const string LocalClient = "local console";

    public string Describe => $"local · {where}";

    public Uri ApiBase { get; } = apiBase ?? new Uri(HiShopping.Api.ApiSettings.DefaultUrls);

    public ConsoleSession? Session { get; private set; }

    public IOperatorConsole? Operator => Session?.IsOperator == true ? this : null;

    private T Get<T>() where T : notnull => services.GetRequiredService<T>();

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

    public Task ChangePasswordAsync(string oldPassword, string newPassword) => Work(() =>
    {
        var me = Get<IAccountService>().Get(UserId) ?? throw new HiShopException(ErrorCode.Unauthorized, "Sign in first.");
        var throttle = Get<ILoginThrottle>();
        throttle.Check(throttle.Begin(me.Email, LocalClient), () => Get<IAccountService>().ChangePassword(UserId, oldPassword, newPassword));
    });

    public Task<MerchantResponse?> MerchantAsync() =>
        Work(() => Get<IMerchantService>().FindByUser(UserId) is { } m ? MerchantResponse.From(m) : null);

    public Task<MerchantResponse> SaveMerchantAsync(MerchantProfileRequest profile, bool create) => Work(() =>
    {
        var merchants = Get<IMerchantService>();
        var saved = create ? merchants.Create(UserId, profile.ToInput()) : merchants.Update(UserId, profile.ToInput());
        if (create && Session is { } s) Session = s with { HasMerchant = true };
        return MerchantResponse.From(saved);
    });

    public Task<CreditResponse> CreditAsync() => Work(() => CreditResponse.From(Get<ICreditService>().Summary(MerchantId())));

    public Task<PageResponse<LedgerEntryResponse>> TransactionsAsync(TransactionQuery query) =>
        Work(() => PageResponse<LedgerEntryResponse>.From(Get<ICreditService>().Transactions(MerchantId(), query), LedgerEntryResponse.From));

    public Task<AppKeys> AppAsync() => Work(() =>
    {
        var app = Get<IAppService>().GetForUser(UserId);
        return new AppKeys(AppResponse.From(app), ApiKeyResponse.From(app));
    });

    public Task<AppResponse> UpdateAppAsync(UpdateAppRequest update) =>
        Work(() => AppResponse.From(Get<IAppService>().Update(UserId, update.ToUpdate())));

    public Task ExportTransactionsAsync(TransactionQuery filter, string path) => Task.Run(() => WholeFile.WriteAsync(path, async stream =>
    {
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await TransactionsCsv.WriteAsync(Get<ICreditService>(), MerchantId(), filter, writer);
    }));

    public Task<OrderDetailResponse> CancelOrderAsync(string orderNo, string? reason) =>
        Work(() => OrderDetailResponse.From(Get<IOrderService>().Cancel(orderNo, MerchantId(), reason)));

    public Task<PageResponse<WebhookDeliveryResponse>> DeliveriesAsync(DeliveryQuery query) => Work(() =>
        PageResponse<WebhookDeliveryResponse>.From(Get<IWebhookService>().List(query with { MerchantId = MerchantId() }), WebhookDeliveryResponse.From));

    public Task<WebhookDeliveryResponse> RetryDeliveryAsync(string eventId) =>
        Work(() => WebhookDeliveryResponse.From(Get<IWebhookService>().Retry(eventId, MerchantId())));

    public Task<WebhookTestResponse> TestWebhookAsync() => Work(() => new WebhookTestResponse(Get<IWebhookService>().Test(MerchantId())));

    public Task<IssuedApiKeyResponse> RegenerateApiKeyAsync() => Work(() =>
    {
        var issued = Get<IAppService>().RegenerateApiKey(UserId);
        return new IssuedApiKeyResponse(issued.Key, UtcTimeJsonConverter.From(issued.CreatedAt));
    });

    public Task<IssuedSignKeyResponse> RegenerateSignKeyAsync() => Work(() =>
    {
        var issued = Get<IAppService>().RegenerateSignKey(UserId);
        return new IssuedSignKeyResponse(issued.Key, UtcTimeJsonConverter.From(issued.CreatedAt));
    });

    public Task<IReadOnlyList<CategoryResponse>> CategoriesAsync() =>
        Work<IReadOnlyList<CategoryResponse>>(() => Get<ICatalogService>().Categories().Select(CategoryResponse.From).ToList());

    public Task<PageResponse<GoodsSummaryResponse>> GoodsAsync(GoodsQuery query) =>
        Work(() => PageResponse<GoodsSummaryResponse>.From(Get<ICatalogService>().ListGoods(query), GoodsSummaryResponse.From));

    public Task<GoodsDetailResponse?> GoodsDetailAsync(string goodsId) =>
        Work(() => Get<ICatalogService>().GetGoods(goodsId) is { } g ? GoodsDetailResponse.From(g) : null);

    public Task<PageResponse<OrderSummaryResponse>> OrdersAsync(OrderQuery query) =>
        Work(() => PageResponse<OrderSummaryResponse>.From(Get<IOrderService>().List(query with { MerchantId = MerchantId() }), OrderSummaryResponse.From));

    public Task<OrderDetailResponse?> OrderAsync(string orderNo) =>
        Work(() => Get<IOrderService>().Get(orderNo, MerchantId()) is { } d ? OrderDetailResponse.From(d) : null);

    // ---- operator --------------------------------------------------------------------------------------------
    // The same Store calls as the Operator API's, and the same audit: each change is recorded with the operator's id.

    private Task<T> Read<T>(Func<T> read) => Work(() => { RequireOperator(); return read(); });

    private Task<T> Act<T>(string action, string target, Func<T> change) => Work(() =>
    {
        RequireOperator();
        var result = change();
        Audit(action, target);
        return result;
    });

    /// <summary>
    /// Records a change that has committed. A failure here is not the change's failure (as in the Operator API): the
    /// operator is not told "error" about a top-up that went through, and so does not make it twice.
    /// </summary>
    private void Audit(string action, string target)
    {
        try { Get<IAuditLog>().Record(UserId, action, target); }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or HiShopException) { /* the change stands */ }
    }

    private Task Act(string action, string target, Action change) => Act(action, target, () => { change(); return 0; });

    public bool CanImport => true;

    public Task<PageResponse<MerchantSummaryResponse>> MerchantsAsync(MerchantQuery query) =>
        Read(() => PageResponse<MerchantSummaryResponse>.From(Get<IMerchantService>().List(query), MerchantSummaryResponse.From));

    public Task<LedgerEntryResponse> TopUpAsync(long merchantId, long amount, string? memo) =>
        Act("credit.topup", $"merchant {merchantId}", () => LedgerEntryResponse.From(Get<ICreditService>().TopUp(merchantId, amount, memo, UserId)));

    public Task<LedgerEntryResponse> AdjustAsync(long merchantId, long amount, string memo) =>
        Act("credit.adjust", $"merchant {merchantId}", () => LedgerEntryResponse.From(Get<ICreditService>().Adjust(merchantId, amount, memo, UserId)));

    public Task SetLimitAsync(long merchantId, long limit) => Act("credit.limit", $"merchant {merchantId}", () => Get<ICreditService>().SetLimit(merchantId, limit));

    public Task SetFeeAsync(long merchantId, int bps) => Act("merchant.fee", $"merchant {merchantId}", () => Get<ICreditService>().SetFeeRate(merchantId, bps));

    public Task SetAppStatusAsync(long merchantId, string status) =>
        Act(status == "active" ? "app.enable" : "app.disable", $"merchant {merchantId}", () => Get<IAppService>().SetStatus(merchantId, status));

    public Task<PageResponse<LedgerEntryResponse>> MerchantTransactionsAsync(long merchantId, TransactionQuery query) =>
        Read(() => PageResponse<LedgerEntryResponse>.From(Get<ICreditService>().Transactions(merchantId, query), LedgerEntryResponse.From));

    public Task<CreditResponse> MerchantCreditAsync(long merchantId) => Read(() => CreditResponse.From(Get<ICreditService>().Summary(merchantId)));

    public Task ExportMerchantTransactionsAsync(long merchantId, TransactionQuery filter, string path) =>
        Read(() => WholeFile.WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            await TransactionsCsv.WriteAsync(Get<ICreditService>(), merchantId, filter, writer);
        })).Unwrap();

    public Task<PageResponse<AdminUserResponse>> UsersAsync(UserQuery query) =>
        Read(() => PageResponse<AdminUserResponse>.From(Get<IAccountService>().List(query), AdminUserResponse.From));

    public Task<IssuedUserResponse> CreateUserAsync(string email, string role) => Work(() =>
    {
        RequireOperator();
        var password = PasswordHasher.Generate();
        var user = Get<IAccountService>().Create(email, password, role);
        Audit("user.create", $"user {user.Id}");
        return new IssuedUserResponse(AdminUserResponse.From(user), password);
    });

    public Task SetUserStatusAsync(long userId, string status) =>
        Act(status == "active" ? "user.enable" : "user.disable", $"user {userId}", () => Get<IAccountService>().SetStatus(KnownUser(userId).Email, status, UserId));

    public Task<UnlockResponse> UnlockAsync(long userId) => Act("user.unlock", $"user {userId}", () =>
    {
        var user = KnownUser(userId);
        return new UnlockResponse(AdminUserResponse.From(user), Get<ILoginThrottle>().Unlock(user.Email));
    });

    public Task<IssuedUserResponse> ResetPasswordAsync(long userId) => Act("user.reset_password", $"user {userId}", () =>
    {
        var password = PasswordHasher.Generate();
        var user = Get<IAccountService>().ResetPassword(KnownUser(userId).Email, password, UserId);
        return new IssuedUserResponse(AdminUserResponse.From(user), password);
    });

    private User KnownUser(long userId) =>
        Get<IAccountService>().Get(userId) ?? throw new HiShopException(ErrorCode.UserNotFound, $"No user has the id {userId}.");

    Task<PageResponse<OrderSummaryResponse>> IOperatorConsole.OrdersAsync(OrderQuery query) =>
        Read(() => PageResponse<OrderSummaryResponse>.From(Get<IOrderService>().List(query), OrderSummaryResponse.From));

    Task<OrderDetailResponse?> IOperatorConsole.OrderAsync(string orderNo) =>
        Read(() => Get<IOrderService>().Get(orderNo) is { } d ? OrderDetailResponse.From(d) : null);

    public Task<OrderDetailResponse> ProcessAsync(string orderNo) => Move("order.process", orderNo, orders => orders.Process(orderNo));

    public Task<OrderDetailResponse> ShipAsync(string orderNo, string carrier, string trackingNo) => Move("order.ship", orderNo, orders => orders.Ship(orderNo, carrier, trackingNo));

    public Task<OrderDetailResponse> DeliverAsync(string orderNo) => Move("order.deliver", orderNo, orders => orders.Deliver(orderNo));

    public Task<OrderDetailResponse> CancelAsync(string orderNo, string? reason) => Move("order.cancel", orderNo, orders => orders.Cancel(orderNo, null, reason));

    private Task<OrderDetailResponse> Move(string action, string orderNo, Func<IOrderService, OrderDetail> move) =>
        Act(action, $"order {orderNo}", () => OrderDetailResponse.From(move(Get<IOrderService>())));

    public Task<CatalogStatsResponse> CatalogStatsAsync() => Work(() => CatalogStatsResponse.From(Get<ICatalogService>().Stats()));

    public Task<ImportResult> ImportCatalogAsync(string path, Action<ImportProgress> progress, Action<ImportRejection> rejected) =>
        Act("catalog.import", path, () =>
        {
            if (!File.Exists(path)) throw HiShopException.Invalid("path", $"No file at {path}.");
            using var stream = File.OpenRead(path);
            return Get<ICatalogImporter>().Import(stream, dryRun: false, rejected, progress);
        });

    /// <summary>The services belong to the CLI's container, which disposes them.</summary>
    public void Dispose() { }
}
