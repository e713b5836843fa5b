using HiShopping.Store.Security;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui;
using HiShopping.Tool.Tui.Client;
using Microsoft.AspNetCore.Builder;
using Terminal.Gui.Input;
using static HiShopping.Tool.Tests.Tui.ConsoleScreenTests;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>
/// The operator's and the merchant's daily work in the console, each test run twice: over the data directory (local)
/// and over a real server on loopback (remote, through the Operator API and the Web API) — the same keys, the same results.
/// </summary>
[ParallelLimiter<ConsoleLimit>]
public sealed class OperatorConsoleTests
{
    /// <summary>The console on <paramref name="store"/>, locally or through a server started for it.</summary>
    private static async Task<(ConsoleHarness Ui, WebApplication? Server)> StartAsync(ConsoleStore store, bool remote, int width = 80, int height = 24)
    {
        if (!remote) return (await ConsoleHarness.StartAsync(store.LocalClient(), width, height), null);
        var server = await RemoteConsoleTests.ServeAsync(store);
        return (await ConsoleHarness.StartAsync(new RemoteConsoleClient(new Uri(server.Urls.First())), width, height), server);
    }

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task An_operator_unlocks_a_user_tops_up_cancels_an_order_with_refund_and_reads_the_ledger(bool remote)
    {
        using var store = await ConsoleStore.CreateAsync();
        var throttle = store.Cli.Get<ILoginThrottle>();
        for (var i = 0; i < LoginThrottle.LockAfter; i++) throttle.Failed(throttle.Begin(ConsoleStore.Merchant, "203.0.113.9"));
        await Assert.That(throttle.LockedUntil(ConsoleStore.Merchant)).IsNotNull();
        var credit = store.Cli.Get<ICreditService>();
        var before = credit.Summary(store.MerchantId).Balance;
        var operatorId = store.Cli.Get<IAccountService>().Find(ConsoleStore.Operator)!.Id;
        var (ui, server) = await StartAsync(store, remote);
        await using var _ = ui;
        await using var __ = server;
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);

        // Users: the lock shows, and Alt+U lifts it.
        await ui.OpenAsync("Users", ConsoleStore.Merchant);
        await SelectRowAsync(ui, ConsoleStore.Merchant);
        await ConfirmAsync(ui, Key.U.WithAlt, $"Clear the sign-in lock and failed sign-ins of {ConsoleStore.Merchant}?");
        await ui.WaitForAsync("can sign in again");
        await ui.PressAsync(Key.Enter);
        await Assert.That(throttle.LockedUntil(ConsoleStore.Merchant)).IsNull();

        // Merchants: a top-up whose first amount is not one: the form says so and keeps what was typed.
        await ui.OpenAsync("Merchants", ConsoleStore.Merchant);
        await SelectRowAsync(ui, ConsoleStore.Merchant);
        await ui.PressAsync(Key.T.WithAlt);
        await ui.WaitForAsync("Amount (USD)");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("12,5x");
        await ui.PressAsync(Key.Enter);
        var refused = await ui.WaitForAsync("Type an amount with at most two decimals");
        await Assert.That(refused).Contains("12,5x");
        await Assert.That(refused).Contains($"Top up {ConsoleStore.Merchant}");
        foreach (var ___ in "12,5x") await ui.PressAsync(Key.Backspace);
        await ui.TypeAsync("10.00");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, $"Add 10.00 USD to {ConsoleStore.Merchant}?");
        await ui.WaitForAsync("balance");
        await ui.PressAsync(Key.Enter);
        await Poll.UntilAsync(() => Task.FromResult(credit.Summary(store.MerchantId).Balance), b => b == before + 1_000, TimeSpan.FromSeconds(10), "the top-up");

        // All Orders: the merchant's column and filter; cancel the order, refunded in full.
        var order = store.Cli.Get<IOrderService>().Get(store.OrderNo)!.Order;
        var orders = await ui.OpenAsync("All Orders", store.OtherOrderNo);
        await Assert.That(orders).Contains("Merchant");
        await ui.PressAsync(Key.M.WithAlt); // the merchant filter
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync(store.MerchantId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ui.PressAsync(Key.Enter);
        await ui.WaitForGoneAsync(store.OtherOrderNo);
        await SelectRowAsync(ui, store.OrderNo);
        await ui.PressAsync(Key.C.WithAlt);
        await ui.WaitForAsync("Reason");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("out of stock");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, $"Cancel order {store.OrderNo}");
        await ui.WaitForAsync("is now cancelled");
        await ui.PressAsync(Key.Enter);
        await Assert.That(store.Cli.Get<IOrderService>().Get(store.OrderNo)!.Order.Status).IsEqualTo("cancelled");
        await Assert.That(credit.Summary(store.MerchantId).Balance).IsEqualTo(before + 1_000 + order.TotalAmount);

        // The merchant's ledger, from Merchants with Alt+G: the refund is at its top.
        var refund = credit.Transactions(store.MerchantId, new TransactionQuery { Type = "REFUND" }).Items.Single().ReferenceNo;
        await ui.OpenAsync("Merchants", ConsoleStore.Merchant);
        await SelectRowAsync(ui, ConsoleStore.Merchant);
        await ui.PressAsync(Key.G.WithAlt);
        var ledger = await ui.WaitForAsync(refund);
        await Assert.That(ledger).Contains("Console Shop");
        await Assert.That(ledger).Contains("REFUND");

        // Each change was audited with the operator's id.
        var audit = store.Cli.Get<IAuditLog>().List(new AuditQuery { ActorId = operatorId }).Items.Select(a => $"{a.Action} {a.Target}").ToList();
        await Assert.That(audit).Contains($"user.unlock user {store.Cli.Get<IAccountService>().Find(ConsoleStore.Merchant)!.Id}");
        await Assert.That(audit).Contains($"credit.topup merchant {store.MerchantId}");
        await Assert.That(audit).Contains($"order.cancel order {store.OrderNo}");
        await Assert.That(ui.Errors).IsEmpty();
    }

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task A_merchant_edits_the_notify_url_a_refused_one_keeps_what_was_typed_and_sees_the_fee(bool remote)
    {
        using var store = await ConsoleStore.CreateAsync();
        store.Cli.Get<ICreditService>().SetFeeRate(store.MerchantId, 150);
        var (ui, server) = await StartAsync(store, remote);
        await using var _ = ui;
        await using var __ = server;
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Keys", "App Settings");
        var keys = await ui.WaitForAsync("1.50 %");
        await Assert.That(keys).Contains("1.50 % of the goods amount");
        await Assert.That(keys).Contains("none (no webhooks)");

        await ui.PressAsync(Key.E.WithAlt);
        await ui.WaitForAsync("Notify URL");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("ftp://nope");
        await ui.PressAsync(Key.Enter);
        // The server's reason under the fields, in words, and the form still holding what was typed.
        var again = await ui.WaitForAsync("! Notify URL must be");
        await Assert.That(again).Contains("ftp://nope");
        await Assert.That(again).DoesNotContain("notify_url");
        foreach (var ___ in "ftp://nope") await ui.PressAsync(Key.Backspace);
        await ui.TypeAsync("https://shop.example.com/hooks");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("Saved.");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("https://shop.example.com/hooks");
        await Assert.That(store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId).NotifyUrl).IsEqualTo("https://shop.example.com/hooks");
    }

    [Test]
    public async Task At_80x24_f1_shows_the_screens_own_keys_whole_and_goods_show_price_and_stock()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), 80, 24);
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        await ui.PressAsync(Key.F1);
        var help = await ui.WaitForAsync("Merchants:");
        // The whole line, wrapped: its last words are on screen too, and nothing runs past 80 columns.
        await Assert.That(help).Contains("Alt+G ledger");
        await Assert.That(help).Contains("Alt+O app on/off");
        await Assert.That(help).Contains("Ctrl+PgUp/PgDn");
        await Assert.That(help.Split('\n').Max(l => l.TrimEnd().Length)).IsLessThanOrEqualTo(80);
        await ui.PressAsync(Key.Enter);

        var goods = await ui.OpenAsync("Goods", "Stock");
        await Assert.That(goods).Contains("Price");
        var first = store.Cli.Get<HiShopping.Store.Catalog.ICatalogService>().ListGoods(new HiShopping.Store.Catalog.GoodsQuery { PageSize = 1 }).Items[0];
        await Assert.That(goods).Contains(Ui.Money(first.MinPrice));
    }

    [Test]
    public async Task A_new_user_gets_a_password_shown_once_that_signs_in_and_the_cursor_lands_on_it()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), 100, 30);
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        await ui.OpenAsync("Users", ConsoleStore.Operator);
        await ui.PressAsync(Key.W.WithAlt);
        await ui.WaitForAsync("New user");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("not-an-email");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("! Enter an email address");
        foreach (var _ in "not-an-email") await ui.PressAsync(Key.Backspace);
        await ui.TypeAsync("fresh@example.com");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, "Create the merchant fresh@example.com?");
        var shown = await ui.WaitForAsync("shown only this once");
        var password = System.Text.RegularExpressions.Regex.Match(shown, @"\b[A-Za-z0-9]{20}\b").Value;
        await Assert.That(password.Length).IsEqualTo(20);
        await ui.PressAsync(Key.Enter);

        await Assert.That(store.Cli.Get<IAccountService>().VerifyCredentials("fresh@example.com", password).Role).IsEqualTo("merchant");
        var selected = await Poll.UntilAsync(() => ui.OnUiAsync((_, shell) =>
        {
            var table = shell.MostFocused as Terminal.Gui.Views.TableView;
            var row = table?.Value?.SelectedCell.Y ?? -1;
            return table?.Table is null || row < 0 || row >= table.Table.Rows ? "" : table.Table[row, 1]?.ToString() ?? "";
        }), s => s == "fresh@example.com", TimeSpan.FromSeconds(10), "the cursor on the new user");
        await Assert.That(selected).IsEqualTo("fresh@example.com");
        var audit = store.Cli.Get<IAuditLog>().List(new AuditQuery()).Items[0];
        await Assert.That(audit.Action).IsEqualTo("user.create");
    }

    [Test]
    public async Task Orders_from_merchants_shows_that_merchants_orders_and_says_so()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), 100, 30);
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        await SelectRowAsync(ui, ConsoleStore.Other);
        await ui.PressAsync(Key.R.WithAlt);
        var orders = await ui.WaitForAsync($"1 order · merchant {store.OtherId}");
        await Assert.That(orders).Contains(store.OtherOrderNo);
        await Assert.That(orders).DoesNotContain(store.OrderNo);
        await Assert.That(await ui.OnUiAsync((_, shell) => shell.Current?.Name)).IsEqualTo("All Orders");
    }

    [Test]
    public async Task Times_follow_the_zone_with_the_year_for_other_years_and_amounts_group_thousands()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var at = new DateTimeOffset(2026, 11, 28, 23, 30, 0, TimeSpan.Zero);
        await Assert.That(Ui.Date(at, tokyo)).IsEqualTo("2026-11-29 08:30");
        await Assert.That(Ui.ShortDate(at, tokyo, now: at)).IsEqualTo("11-29 08:30");
        await Assert.That(Ui.ShortDate(at.AddYears(-1), tokyo, now: at)).IsEqualTo("2025-11-29");
        await Assert.That(Ui.Label(tokyo)).IsEqualTo("Asia/Tokyo UTC+09:00");
        await Assert.That(Ui.Label(TimeZoneInfo.Utc)).IsEqualTo("UTC");
        await Assert.That(Ui.Money(110_000_000_000)).IsEqualTo("1,100,000,000.00");
        await Assert.That(Ui.Money(-1_250)).IsEqualTo("-12.50");
        await Assert.That(Ui.Money(5)).IsEqualTo("0.05");

        using var cli = new CliRunner();
        var bad = await cli.RunAsync("console", "--tz", "Mars/Olympus");
        await Assert.That(bad.ExitCode).IsEqualTo(2);
        await Assert.That(bad.Err).Contains("unknown time zone 'Mars/Olympus'");
        var amount = await cli.RunAsync("console", "--large-amount", "lots");
        await Assert.That(amount.ExitCode).IsEqualTo(2);
        await Assert.That(amount.Err).Contains("the large amount must be a positive amount");
    }
}
