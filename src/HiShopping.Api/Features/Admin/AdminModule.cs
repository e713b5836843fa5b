using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Admin;

/// <summary>
/// The Operator API, <c>/api/v1/admin</c>: what the CLI's operator commands do, over HTTP, for operator tokens only
/// (a merchant's token gets 4002, no token 4001). Every change is written to the audit log with the operator's id by
/// <see cref="AuditFilter"/>, which the whole group carries; money moves also name the operator on the ledger entry.
/// </summary>
public sealed class AdminModule : ICarterModule
{
    public const string Prefix = "/api/v1/admin";

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).RequireAuthorization(JwtSetup.OperatorPolicy).AddEndpointFilter<AuditFilter>();

        group.MapGet("/users", Users).WithQuery(QueryDocs.Page, QueryDocs.PageSize, new("keyword", "Part of the email."), new("role", "merchant or operator."));
        group.MapPost("/users", CreateUser).WithBody<CreateUserRequest>().Audit("user.create");
        group.MapPost("/users/{user_id}/disable", (string user_id, HttpContext context, IAccountService accounts) => SetUserStatus(Id(user_id, "user_id"), "disabled", context, accounts)).Audit("user.disable");
        group.MapPost("/users/{user_id}/enable", (string user_id, HttpContext context, IAccountService accounts) => SetUserStatus(Id(user_id, "user_id"), "active", context, accounts)).Audit("user.enable");
        group.MapPost("/users/{user_id}/unlock", Unlock).Audit("user.unlock");
        group.MapPost("/users/{user_id}/password", ResetPassword).WithBody<ResetPasswordRequest>(optional: true).Audit("user.reset_password");

        group.MapGet("/merchants", Merchants).WithQuery(QueryDocs.Page, QueryDocs.PageSize, new("keyword", "Part of the email or company name."));
        group.MapGet("/merchants/{merchant_id}", MerchantOverview);
        group.MapPut("/merchants/{merchant_id}/fee", SetFee).WithBody<FeeRateRequest>().Audit("merchant.fee");
        group.MapPut("/merchants/{merchant_id}/credit-limit", SetLimit).WithBody<CreditLimitRequest>().Audit("credit.limit");
        group.MapPost("/merchants/{merchant_id}/app/disable", (string merchant_id, IMerchantService m, IAppService apps) => SetAppStatus(Id(merchant_id, "merchant_id"), "disabled", m, apps)).Audit("app.disable");
        group.MapPost("/merchants/{merchant_id}/app/enable", (string merchant_id, IMerchantService m, IAppService apps) => SetAppStatus(Id(merchant_id, "merchant_id"), "active", m, apps)).Audit("app.enable");
        group.MapGet("/merchants/{merchant_id}/credit", Credit);
        group.MapGet("/merchants/{merchant_id}/credit/transactions", Transactions).WithQuery(QueryDocs.Transactions);
        group.MapGet("/merchants/{merchant_id}/credit/transactions.csv", ExportTransactions).WithQuery(QueryDocs.TransactionsExport).Produces(StatusCodes.Status200OK, contentType: "text/csv");
        group.MapPost("/merchants/{merchant_id}/credit/topup", TopUp).WithBody<CreditMoveRequest>().Audit("credit.topup");
        group.MapPost("/merchants/{merchant_id}/credit/adjust", Adjust).WithBody<CreditMoveRequest>().Audit("credit.adjust");

        group.MapGet("/orders", Orders).WithQuery([.. QueryDocs.Orders, new("merchant_id", "Only this merchant's orders.")]);
        group.MapGet("/orders/{order_no}", Order);
        group.MapPost("/orders/{order_no}/process", (string order_no, IOrderService orders) => Envelope.Ok(OrderDetailResponse.From(orders.Process(order_no)))).Audit("order.process");
        group.MapPost("/orders/{order_no}/ship", Ship).WithBody<ShipOrderRequest>().Audit("order.ship");
        group.MapPost("/orders/{order_no}/deliver", (string order_no, IOrderService orders) => Envelope.Ok(OrderDetailResponse.From(orders.Deliver(order_no)))).Audit("order.deliver");
        group.MapPost("/orders/{order_no}/cancel", Cancel).WithBody<CancelOrderRequest>(optional: true).Audit("order.cancel");

        group.MapGet("/catalog/stats", (ICatalogService catalog) => Envelope.Ok(CatalogStatsResponse.From(catalog.Stats())));
        group.MapGet("/audit", Audit).WithQuery(QueryDocs.Page, QueryDocs.PageSize, new("actor_id", "Only this operator's actions."));
    }

    // ---- users ---------------------------------------------------------------------------------------------

    private static ApiResult<PageResponse<AdminUserResponse>> Users(HttpContext context, IAccountService accounts)
    {
        var q = new QueryReader(context.Request);
        var query = q.Paged(new UserQuery { Keyword = q.String("keyword"), Role = q.String("role") });
        q.ThrowIfInvalid();
        return Envelope.Ok(PageResponse<AdminUserResponse>.From(accounts.List(query), AdminUserResponse.From));
    }

    private static async Task<ApiResult<IssuedUserResponse>> CreateUser(HttpContext context, IAccountService accounts)
    {
        var request = await RequestBody.ReadAsync<CreateUserRequest>(context.Request);
        var password = request.Password ?? PasswordHasher.Generate();
        var user = accounts.Create(request.Email ?? "", password, request.Role ?? Roles.Merchant);
        AuditFilter.Target(context, $"user {user.Id}");
        return Envelope.Ok(new IssuedUserResponse(AdminUserResponse.From(user), request.Password is null ? password : null));
    }

    private static ApiResult<AdminUserResponse> SetUserStatus(long userId, string status, HttpContext context, IAccountService accounts) =>
        Envelope.Ok(AdminUserResponse.From(accounts.SetStatus(User(userId, accounts).Email, status, actorId: CurrentUser.Id(context))));

    private static ApiResult<UnlockResponse> Unlock(string user_id, IAccountService accounts, ILoginThrottle throttle)
    {
        var user = User(Id(user_id, "user_id"), accounts);
        var wasLocked = throttle.Unlock(user.Email);
        return Envelope.Ok(new UnlockResponse(AdminUserResponse.From(user), wasLocked));
    }

    private static async Task<ApiResult<IssuedUserResponse>> ResetPassword(string user_id, HttpContext context, IAccountService accounts)
    {
        var user = User(Id(user_id, "user_id"), accounts);
        var request = await RequestBody.ReadOptionalAsync<ResetPasswordRequest>(context.Request) ?? new ResetPasswordRequest();
        var password = request.Password ?? PasswordHasher.Generate();
        user = accounts.ResetPassword(user.Email, password, actorId: CurrentUser.Id(context));
        return Envelope.Ok(new IssuedUserResponse(AdminUserResponse.From(user), request.Password is null ? password : null));
    }

    /// <summary>An id from the path; anything but a whole number is 4000 naming it.</summary>
    private static long Id(string raw, string field) =>
        long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw HiShopException.Invalid(field, $"{field} must be a whole number.");

    private static User User(long userId, IAccountService accounts) =>
        accounts.Get(userId) ?? throw new HiShopException(ErrorCode.UserNotFound, $"No user has the id {userId}.");

    // ---- merchants and credit ------------------------------------------------------------------------------

    private static ApiResult<PageResponse<MerchantSummaryResponse>> Merchants(HttpContext context, IMerchantService merchants)
    {
        var q = new QueryReader(context.Request);
        var query = q.Paged(new MerchantQuery { Keyword = q.String("keyword") });
        q.ThrowIfInvalid();
        return Envelope.Ok(PageResponse<MerchantSummaryResponse>.From(merchants.List(query), MerchantSummaryResponse.From));
    }

    private static ApiResult<MerchantOverviewResponse> MerchantOverview(string merchant_id, IMerchantService merchants, ICreditService credit, IAppService apps)
    {
        var m = Merchant(Id(merchant_id, "merchant_id"), merchants);
        var app = apps.GetForMerchant(m.Id);
        return Envelope.Ok(new MerchantOverviewResponse(MerchantResponse.From(m), m.UserStatus, AppResponse.From(app), ApiKeyResponse.From(app), CreditResponse.From(credit.Summary(m.Id))));
    }

    private static async Task<ApiResult<CreditResponse>> SetFee(string merchant_id, HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var request = await RequestBody.ReadAsync<FeeRateRequest>(context.Request);
        var m = Merchant(Id(merchant_id, "merchant_id"), merchants);
        credit.SetFeeRate(m.Id, request.FeeRateBps ?? throw HiShopException.Invalid("fee_rate_bps", "fee_rate_bps is required."));
        return Envelope.Ok(CreditResponse.From(credit.Summary(m.Id)));
    }

    private static async Task<ApiResult<CreditResponse>> SetLimit(string merchant_id, HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var request = await RequestBody.ReadAsync<CreditLimitRequest>(context.Request);
        var m = Merchant(Id(merchant_id, "merchant_id"), merchants);
        var limit = request.CreditLimit ?? throw HiShopException.Invalid("credit_limit", "credit_limit is required.");
        return Envelope.Ok(CreditResponse.From(credit.SetLimit(m.Id, limit.Minor)));
    }

    private static ApiResult<AppResponse> SetAppStatus(long merchantId, string status, IMerchantService merchants, IAppService apps) =>
        Envelope.Ok(AppResponse.From(apps.SetStatus(Merchant(merchantId, merchants).Id, status)));

    private static ApiResult<CreditResponse> Credit(string merchant_id, IMerchantService merchants, ICreditService credit) =>
        Envelope.Ok(CreditResponse.From(credit.Summary(Merchant(Id(merchant_id, "merchant_id"), merchants).Id)));

    private static ApiResult<PageResponse<LedgerEntryResponse>> Transactions(string merchant_id, HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var m = Merchant(Id(merchant_id, "merchant_id"), merchants);
        return Envelope.Ok(PageResponse<LedgerEntryResponse>.From(credit.Transactions(m.Id, CreditModule.ReadQuery(context.Request)), LedgerEntryResponse.From));
    }

    private static Task ExportTransactions(string merchant_id, HttpContext context, IMerchantService merchants, ICreditService credit) =>
        CreditModule.WriteCsvAsync(context, Merchant(Id(merchant_id, "merchant_id"), merchants).Id, credit);

    private static async Task<ApiResult<LedgerEntryResponse>> TopUp(string merchant_id, HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var request = await RequestBody.ReadAsync<CreditMoveRequest>(context.Request);
        var m = Merchant(Id(merchant_id, "merchant_id"), merchants);
        var amount = request.Amount ?? throw HiShopException.Invalid("amount", "amount is required.");
        return Envelope.Ok(LedgerEntryResponse.From(credit.TopUp(m.Id, amount.Minor, request.Memo, CurrentUser.Id(context))));
    }

    private static async Task<ApiResult<LedgerEntryResponse>> Adjust(string merchant_id, HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var request = await RequestBody.ReadAsync<CreditMoveRequest>(context.Request);
        var m = Merchant(Id(merchant_id, "merchant_id"), merchants);
        var amount = request.Amount ?? throw HiShopException.Invalid("amount", "amount is required.");
        return Envelope.Ok(LedgerEntryResponse.From(credit.Adjust(m.Id, amount.Minor, request.Memo ?? "", CurrentUser.Id(context))));
    }

    private static Store.Services.Merchant Merchant(long merchantId, IMerchantService merchants) =>
        merchants.Get(merchantId) ?? throw new HiShopException(ErrorCode.NotFound, $"Merchant {merchantId} not found.");

    // ---- orders --------------------------------------------------------------------------------------------

    private static ApiResult<PageResponse<OrderSummaryResponse>> Orders(HttpContext context, IOrderService orders)
    {
        var q = new QueryReader(context.Request);
        var merchantId = q.Long("merchant_id");
        q.ThrowIfInvalid();
        return Envelope.Ok(PageResponse<OrderSummaryResponse>.From(orders.List(OrdersModule.ReadQuery(context.Request, merchantId)), OrderSummaryResponse.From));
    }

    private static ApiResult<OrderDetailResponse> Order(string order_no, IOrderService orders) =>
        Envelope.Ok(OrderDetailResponse.From(orders.Get(order_no) ?? throw new HiShopException(ErrorCode.NotFound, $"Order {order_no} not found.")));

    private static async Task<ApiResult<OrderDetailResponse>> Ship(string order_no, HttpContext context, IOrderService orders)
    {
        var request = await RequestBody.ReadAsync<ShipOrderRequest>(context.Request);
        return Envelope.Ok(OrderDetailResponse.From(orders.Ship(order_no, request.Carrier ?? "", request.TrackingNo ?? "")));
    }

    private static async Task<ApiResult<OrderDetailResponse>> Cancel(string order_no, HttpContext context, IOrderService orders)
    {
        var request = await RequestBody.ReadOptionalAsync<CancelOrderRequest>(context.Request);
        return Envelope.Ok(OrderDetailResponse.From(await orders.CancelAsync(order_no, null, request?.Reason)));
    }

    // ---- audit ---------------------------------------------------------------------------------------------

    private static ApiResult<PageResponse<AuditEntryResponse>> Audit(HttpContext context, IAuditLog audit)
    {
        var q = new QueryReader(context.Request);
        var query = q.Paged(new AuditQuery { ActorId = q.Long("actor_id") });
        q.ThrowIfInvalid();
        return Envelope.Ok(PageResponse<AuditEntryResponse>.From(audit.List(query), AuditEntryResponse.From));
    }
}
