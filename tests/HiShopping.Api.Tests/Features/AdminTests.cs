using System.Text.Json;
using HiShopping.Api.Features.Admin;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Tests.Features;

/// <summary>The Operator API, /api/v1/admin, on real Kestrel: who may call it, what it does, and that every change is audited.</summary>
[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class AdminTests(ApiServer server)
{
    private const string Admin = "/api/v1/admin";

    /// <summary>Every mapped Operator API route, with its path parameters filled in.</summary>
    private List<(HttpMethod Method, string Path, string? Action)> Routes(long userId, long merchantId, string orderNo) =>
        server.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(Admin, StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (
                new HttpMethod(m),
                e.RoutePattern.RawText!.Replace("{user_id}", userId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Replace("{merchant_id}", merchantId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Replace("{order_no}", orderNo),
                e.Metadata.GetMetadata<AuditAction>()?.Name)))
            .ToList();

    [Test]
    public async Task Every_route_refuses_anonymous_callers_with_4001_and_merchants_with_4002_and_changes_nothing()
    {
        var merchant = await FundedMerchantAsync();
        var order = server.Get<IOrderService>().Place(merchant.MerchantId, Fixtures.Order("ADMIN-BOLA")).Detail.Order.OrderNo;
        var before = Snapshot(merchant.MerchantId);
        var routes = Routes(merchant.UserId, merchant.MerchantId, order);
        await Assert.That(routes.Count).IsGreaterThanOrEqualTo(24);

        var anonymous = new Session(server, null, "nobody");
        foreach (var (method, path, _) in routes)
        {
            var body = new { amount = "1000.00", memo = "x", credit_limit = "1000.00", fee_rate_bps = 0, carrier = "DHL", tracking_no = "T1", email = "x@example.com" };
            var none = await anonymous.SendAsync(method, path, method == HttpMethod.Get ? null : body);
            await Assert.That(none.Code).IsEqualTo(4001).Because($"{method} {path} without a token");
            var asMerchant = await merchant.SendAsync(method, path, method == HttpMethod.Get ? null : body);
            await Assert.That(asMerchant.Code).IsEqualTo(4002).Because($"{method} {path} with a merchant's token");
            await Assert.That(asMerchant.Raw).DoesNotContain(merchant.Email);
        }
        await Assert.That(Snapshot(merchant.MerchantId)).IsEqualTo(before);
    }

    [Test]
    public async Task Every_change_is_audited_with_the_acting_operator_and_each_does_what_it_says()
    {
        var op = await server.NewOperatorAsync();
        var merchant = await FundedMerchantAsync();
        var orders = server.Get<IOrderService>();
        var shipped = orders.Place(merchant.MerchantId, Fixtures.Order("ADMIN-SHIP")).Detail.Order.OrderNo;
        var cancelled = orders.Place(merchant.MerchantId, Fixtures.Order("ADMIN-CANCEL")).Detail.Order.OrderNo;
        var done = new List<string>();

        async Task<JsonElement> Do(string action, HttpMethod method, string path, object? body = null)
        {
            var response = (await op.SendAsync(method, Admin + path, body)).EnsureCode(0);
            done.Add(action);
            return response.Data;
        }

        var created = await Do("user.create", HttpMethod.Post, "/users", new { email = ApiServer.NewEmail("created") });
        var userId = created.GetProperty("user").GetProperty("id").GetInt64();
        var generated = created.GetProperty("password").GetString()!;
        await server.LoginAsync(created.GetProperty("user").GetProperty("email").GetString()!, generated);
        await Do("user.disable", HttpMethod.Post, $"/users/{userId}/disable");
        await Do("user.enable", HttpMethod.Post, $"/users/{userId}/enable");
        await Do("user.unlock", HttpMethod.Post, $"/users/{userId}/unlock");
        var reset = await Do("user.reset_password", HttpMethod.Post, $"/users/{userId}/password", new { password = "a new password 9" });
        await Assert.That(reset.GetProperty("password").ValueKind).IsEqualTo(JsonValueKind.Null);
        await Do("merchant.fee", HttpMethod.Put, $"/merchants/{merchant.MerchantId}/fee", new { fee_rate_bps = 150 });
        await Do("credit.limit", HttpMethod.Put, $"/merchants/{merchant.MerchantId}/credit-limit", new { credit_limit = "25.00" });
        await Do("app.disable", HttpMethod.Post, $"/merchants/{merchant.MerchantId}/app/disable");
        await Do("app.enable", HttpMethod.Post, $"/merchants/{merchant.MerchantId}/app/enable");
        var topUp = await Do("credit.topup", HttpMethod.Post, $"/merchants/{merchant.MerchantId}/credit/topup", new { amount = "100.00", memo = "wire 42" });
        await Assert.That(topUp.GetProperty("amount").GetString()).IsEqualTo("100.00");
        await Do("credit.adjust", HttpMethod.Post, $"/merchants/{merchant.MerchantId}/credit/adjust", new { amount = "-1.25", memo = "bank fee" });
        await Do("order.process", HttpMethod.Post, $"/orders/{shipped}/process");
        await Do("order.ship", HttpMethod.Post, $"/orders/{shipped}/ship", new { carrier = "DHL", tracking_no = "JD0146" });
        await Do("order.deliver", HttpMethod.Post, $"/orders/{shipped}/deliver");
        var cancel = await Do("order.cancel", HttpMethod.Post, $"/orders/{cancelled}/cancel", new { reason = "customer asked" });
        await Assert.That(cancel.GetProperty("status").GetString()).IsEqualTo("cancelled");

        // Every audited route was exercised above (a new route must be added here).
        var audited = Routes(0, 0, "").Where(r => r.Action is not null).Select(r => r.Action!).ToHashSet();
        await Assert.That(done.ToHashSet().SetEquals(audited)).IsTrue().Because(string.Join(", ", audited.Except(done)));

        var log = (await op.GetAsync($"{Admin}/audit?actor_id={op.UserId}&page_size=100")).EnsureCode(0).Data.GetProperty("items");
        var entries = log.EnumerateArray().Reverse().Select(e => (Action: e.GetProperty("action").GetString()!, Target: e.GetProperty("target").GetString()!,
            Actor: e.GetProperty("actor_id").GetInt64(), Email: e.GetProperty("actor_email").GetString())).ToList();
        await Assert.That(entries.Select(e => e.Action)).IsEquivalentTo(done, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(entries.All(e => e.Actor == op.UserId && e.Email == op.Email)).IsTrue();
        await Assert.That(entries[0].Target).IsEqualTo($"user {userId}");
        await Assert.That(entries.Single(e => e.Action == "credit.topup").Target).IsEqualTo($"merchant {merchant.MerchantId}");
        await Assert.That(entries.Single(e => e.Action == "order.cancel").Target).IsEqualTo($"order {cancelled}");
        // Nothing secret in the log: neither the generated nor the chosen password.
        await Assert.That(log.GetRawText()).DoesNotContain(generated);
        await Assert.That(log.GetRawText()).DoesNotContain("a new password 9");

        // The money moves name the operator on the ledger entry too, and the cancel refunded in full.
        var ledger = (await op.GetAsync($"{Admin}/merchants/{merchant.MerchantId}/credit/transactions?page_size=100")).EnsureCode(0).Data;
        var own = (await merchant.GetAsync("/api/v1/web/credit/transactions?page_size=100")).EnsureCode(0).Data;
        await Assert.That(ledger.GetProperty("items").GetRawText()).IsEqualTo(own.GetProperty("items").GetRawText());
        await Assert.That(ledger.GetProperty("items")[0].GetProperty("type").GetString()).IsEqualTo("REFUND");
        var topUpEntry = server.Get<ICreditService>().Transactions(merchant.MerchantId, new TransactionQuery { Type = "TOPUP" }).Items.Single(e => e.Memo == "wire 42");
        await Assert.That(topUpEntry.OperatorId).IsEqualTo(op.UserId);
        var credit = (await op.GetAsync($"{Admin}/merchants/{merchant.MerchantId}/credit")).EnsureCode(0).Data;
        await Assert.That(credit.GetProperty("credit_limit").GetString()).IsEqualTo("25.00");
        var overview = (await op.GetAsync($"{Admin}/merchants/{merchant.MerchantId}")).EnsureCode(0).Data;
        await Assert.That(overview.GetProperty("merchant").GetProperty("fee_rate_bps").GetInt64()).IsEqualTo(150);
        await Assert.That(overview.GetProperty("app").GetProperty("status").GetString()).IsEqualTo("active");
    }

    [Test]
    public async Task A_locked_out_user_is_listed_as_locked_and_unlocked_by_an_operator()
    {
        var op = await server.NewOperatorAsync();
        var email = ApiServer.NewEmail("locked");
        var user = server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var throttle = server.Get<ILoginThrottle>();
        for (var i = 0; i < LoginThrottle.LockAfter; i++) throttle.Failed(throttle.Begin(email, "198.51.100.7"));
        var anonymous = new Session(server, null, email);
        (await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = ApiServer.Password })).EnsureCode(4029);

        var listed = (await op.GetAsync($"{Admin}/users?keyword={Uri.EscapeDataString(email)}")).EnsureCode(0).Data.GetProperty("items").EnumerateArray().Single();
        await Assert.That(listed.GetProperty("locked_until").ValueKind).IsEqualTo(JsonValueKind.String);

        var unlocked = (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{user.Id}/unlock")).EnsureCode(0).Data;
        await Assert.That(unlocked.GetProperty("was_locked").GetBoolean()).IsTrue();
        await server.LoginAsync(email, ApiServer.Password);
        var again = (await op.GetAsync($"{Admin}/users?keyword={Uri.EscapeDataString(email)}")).EnsureCode(0).Data.GetProperty("items")[0];
        await Assert.That(again.GetProperty("locked_until").ValueKind).IsEqualTo(JsonValueKind.Null);
    }

    [Test]
    public async Task A_disabled_user_loses_its_token_and_a_generated_password_is_shown_once()
    {
        var op = await server.NewOperatorAsync();
        var merchant = await server.NewMerchantAsync();
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{merchant.UserId}/disable")).EnsureCode(0);
        (await merchant.GetAsync("/api/v1/web/credit")).EnsureCode(4001);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{merchant.UserId}/enable")).EnsureCode(0);

        var reset = (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{merchant.UserId}/password")).EnsureCode(0).Data;
        var password = reset.GetProperty("password").GetString()!;
        await Assert.That(password.Length).IsGreaterThanOrEqualTo(16);
        (await new Session(server, null, merchant.Email).SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email = merchant.Email, password = ApiServer.Password })).EnsureCode(3002);
        await server.LoginAsync(merchant.Email, password);
        // Shown once: the list and the user's own answers never carry a password again.
        var listed = (await op.GetAsync($"{Admin}/users?keyword={Uri.EscapeDataString(merchant.Email)}")).EnsureCode(0).Data.GetProperty("items")[0];
        await Assert.That(listed.TryGetProperty("password", out _)).IsFalse();
        var enabled = (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{merchant.UserId}/enable")).EnsureCode(0);
        await Assert.That(enabled.Raw).DoesNotContain(password);
    }

    [Test]
    public async Task Bad_input_gets_the_envelope_and_changes_nothing()
    {
        var op = await server.NewOperatorAsync();
        var merchant = await server.NewMerchantAsync();
        var before = Snapshot(merchant.MerchantId);
        var auditBefore = server.Get<IAuditLog>().List(new AuditQuery { ActorId = op.UserId }).Total;
        var topup = $"{Admin}/merchants/{merchant.MerchantId}/credit/topup";

        var number = await op.SendAsync(HttpMethod.Post, topup, new { amount = 12 });
        await Assert.That(number.Code).IsEqualTo(4000);
        await Assert.That(number.Message).Contains("amount");
        (await op.SendAsync(HttpMethod.Post, topup, new { amount = "-5.00" })).EnsureCode(4000);
        (await op.SendAsync(HttpMethod.Post, topup, new { memo = "no amount" })).EnsureCode(4000);
        (await op.SendAsync(HttpMethod.Post, topup, rawBody: "amount=5", contentType: "text/plain")).EnsureCode(4015);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/merchants/{merchant.MerchantId}/credit/adjust", new { amount = "5.00" })).EnsureCode(4000);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/merchants/999999/credit/topup", new { amount = "5.00" })).EnsureCode(4004);
        var letters = await op.SendAsync(HttpMethod.Post, $"{Admin}/merchants/abc/credit/topup", new { amount = "5.00" });
        await Assert.That(letters.Code).IsEqualTo(4000);
        await Assert.That(letters.Message).Contains("merchant_id");
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/999999/unlock")).EnsureCode(3001);
        (await op.SendAsync(HttpMethod.Put, $"{Admin}/merchants/{merchant.MerchantId}/fee", new { fee_rate_bps = 100_000 })).EnsureCode(4000);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users", new { email = merchant.Email })).EnsureCode(4005);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users", new { email = "not-an-email" })).EnsureCode(4000);
        (await op.GetAsync($"{Admin}/orders?merchant_id=x")).EnsureCode(4000);
        (await op.GetAsync($"{Admin}/users?role=admin")).EnsureCode(4000);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{op.UserId}/disable")).EnsureCode(4000);
        (await op.SendAsync(HttpMethod.Post, $"{Admin}/users/{op.UserId}/password")).EnsureCode(4000);
        (await op.GetAsync($"{Admin}/merchants")).EnsureCode(0); // still signed in

        await Assert.That(Snapshot(merchant.MerchantId)).IsEqualTo(before);
        await Assert.That(server.Get<IAuditLog>().List(new AuditQuery { ActorId = op.UserId }).Total).IsEqualTo(auditBefore);
    }

    [Test]
    public async Task Orders_list_all_merchants_or_one_and_catalog_stats_answer()
    {
        var op = await server.NewOperatorAsync();
        var a = await FundedMerchantAsync();
        var b = await FundedMerchantAsync();
        var orders = server.Get<IOrderService>();
        var mine = orders.Place(a.MerchantId, Fixtures.Order("ADMIN-LIST-A")).Detail.Order.OrderNo;
        orders.Place(b.MerchantId, Fixtures.Order("ADMIN-LIST-B"));

        var onlyA = (await op.GetAsync($"{Admin}/orders?merchant_id={a.MerchantId}")).EnsureCode(0).Data.GetProperty("items");
        await Assert.That(onlyA.EnumerateArray().Select(o => o.GetProperty("order_no").GetString()!)).IsEquivalentTo([mine]);
        var all = (await op.GetAsync($"{Admin}/orders?page_size=100")).EnsureCode(0).Data.GetProperty("items");
        await Assert.That(all.EnumerateArray().Select(o => o.GetProperty("merchant_id").GetInt64()).Distinct().Count()).IsGreaterThanOrEqualTo(2);
        var detail = (await op.GetAsync($"{Admin}/orders/{mine}")).EnsureCode(0).Data;
        await Assert.That(detail.GetProperty("merchant_id").GetInt64()).IsEqualTo(a.MerchantId);
        var stats = (await op.GetAsync($"{Admin}/catalog/stats")).EnsureCode(0).Data;
        await Assert.That(stats.GetProperty("goods").GetInt64()).IsGreaterThan(0);
    }

    [Test]
    public async Task The_last_active_operator_is_never_disabled_and_ids_are_audited_as_read()
    {
        // A server of its own: the count of active operators is the point.
        await using var own = await ApiServer.StartAsync();
        var a = await own.NewOperatorAsync();
        var b = await own.NewOperatorAsync();
        (await a.SendAsync(HttpMethod.Post, $"{Admin}/users/00{b.UserId}/disable")).EnsureCode(0);
        // b is out; a is the last active operator and nobody can disable it (a itself cannot, and the store refuses).
        var accounts = own.Get<IAccountService>();
        var last = await Assert.ThrowsAsync<HiShopping.Store.HiShopException>(() => Task.Run(() => accounts.SetStatus(a.Email, "disabled")));
        await Assert.That(last!.Message).Contains("last active operator");
        var audit = own.Get<IAuditLog>().List(new AuditQuery { ActorId = a.UserId }).Items.Single();
        await Assert.That(audit.Target).IsEqualTo($"user {b.UserId}");
    }

    /// <summary>A merchant with 1,000.00 of credit, to place orders with.</summary>
    private async Task<Session> FundedMerchantAsync()
    {
        var merchant = await server.NewMerchantAsync();
        server.Get<ICreditService>().TopUp(merchant.MerchantId, 100_000, "test funds", null);
        return merchant;
    }

    /// <summary>Everything an Operator API call could change about one merchant.</summary>
    private string Snapshot(long merchantId)
    {
        var credit = server.Get<ICreditService>().Summary(merchantId);
        var merchant = server.Get<IMerchantService>().Get(merchantId)!;
        var app = server.Get<IAppService>().GetForMerchant(merchantId);
        var ledger = server.Get<ICreditService>().Transactions(merchantId, new TransactionQuery()).Total;
        var orders = server.Get<IOrderService>().List(new OrderQuery { MerchantId = merchantId }).Items.Select(o => o.Status);
        var user = server.Get<IAccountService>().Get(merchant.UserId)!;
        return $"{credit.Balance}/{credit.CreditLimit}/{merchant.FeeRateBps}/{app.Status}/{ledger}/{string.Join(',', orders)}/{user.Status}/{user.TokenVersion}";
    }
}
