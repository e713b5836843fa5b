using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Terminal.Gui.Input;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>Headless view tests: the real shell on Terminal.Gui's ANSI driver at a fixed size; keys in, Driver.Contents out.</summary>
[ParallelLimiter<ConsoleLimit>]
public sealed class ConsoleScreenTests
{
    [Test]
    public async Task A_merchant_sees_every_screen_with_what_the_store_holds()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");

        var credit = store.Cli.Get<ICreditService>().Summary(store.MerchantId);
        var overview = await ui.WaitForAsync(HiShopping.Tool.Tui.Ui.Money(credit.Balance));
        await Assert.That(overview).Contains("Recent transactions");
        await Assert.That(overview).Contains("Utilization");

        var entries = store.Cli.Get<ICreditService>().Transactions(store.MerchantId, new TransactionQuery()).Items;
        var transactions = await ui.OpenAsync("Transactions", entries[0].ReferenceNo);
        await Assert.That(transactions).Contains(entries[^1].ReferenceNo);
        await Assert.That(transactions).Contains("Before");

        var app = store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId);
        var keys = await ui.OpenAsync("Keys", app.AppId);
        await Assert.That(keys).Contains(app.MaskedApiKey!);

        var profile = await ui.OpenAsync("Profile", "Console Shop");
        await Assert.That(profile).Contains("****9012");
        await Assert.That(profile).DoesNotContain("5678");

        var goods = await ui.OpenAsync("Goods", "Home & Kitchen");
        var title = store.Cli.Get<HiShopping.Store.Catalog.ICatalogService>().ListGoods(new() { PageSize = 1 }).Items[0].Title;
        await ui.WaitForAsync(title[..16]);

        await ui.OpenAsync("Orders", store.OrderNo);
        var docs = await ui.OpenAsync("API Docs", "API DOCUMENTATION");
        await Assert.That(docs).Contains("Authentication");
        await Assert.That(ui.Errors).IsEmpty();
    }

    [Test]
    public async Task A_merchant_never_sees_operator_screens_or_another_merchants_data()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");

        var names = await ui.ScreenNamesAsync();
        await Assert.That(names).DoesNotContain("Merchants");
        await Assert.That(names).DoesNotContain("All Orders");
        await Assert.That(names).DoesNotContain("Catalog");
        var orders = await ui.OpenAsync("Orders", store.OrderNo);
        await Assert.That(orders).DoesNotContain(store.OtherOrderNo);
        var overview = await ui.OpenAsync("Overview", "Credit Status");
        await Assert.That(overview).DoesNotContain("999.00");
    }

    [Test]
    public async Task An_operator_gets_the_operator_screens()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, "Merchants");

        var names = await ui.ScreenNamesAsync();
        await Assert.That(string.Join(",", names)).IsEqualTo("Merchants,Ledger,All Orders,Users,Catalog,Goods,API Docs");
        var merchants = await ui.WaitForAsync(ConsoleStore.Other);
        await Assert.That(merchants).Contains(ConsoleStore.Merchant);
        var orders = await ui.OpenAsync("All Orders", store.OtherOrderNo);
        await Assert.That(orders).Contains(store.OrderNo);
        var catalog = await ui.OpenAsync("Catalog", "348 (348 on sale)");
        await Assert.That(catalog).Contains("29 leaves");
    }

    [Test]
    public async Task A_wrong_password_is_a_message_not_a_crash()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Merchant, "not-the-password", "Invalid email or password.");
        await Assert.That(ui.Errors).IsEmpty();
        // The password field is cleared and focused again; the email stays.
        await ui.TypeAsync(ConsoleStore.Password);
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("Credit Status");
    }

    [Test]
    public async Task Regenerating_the_api_key_asks_first_shows_the_key_once_and_changes_the_store()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        var before = store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId);
        await ui.OpenAsync("Keys", before.MaskedApiKey!);

        await ui.PressAsync(Key.Tab);
        await ui.PressAsync(Key.A.WithAlt);
        await ui.WaitForAsync("Generate a new API key?");
        await ui.PressAsync(Key.Esc); // No: nothing changes
        await ui.WaitForGoneAsync("Generate a new API key?");
        await Assert.That(store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId).ApiKeyHash).IsEqualTo(before.ApiKeyHash);

        await ui.PressAsync(Key.A.WithAlt);
        await ui.WaitForAsync("Generate a new API key?");
        await ui.PressAsync(Key.Enter); // "No" is the default: Enter, Enter regenerates nothing
        await ui.WaitForGoneAsync("Generate a new API key?");
        await Assert.That(store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId).ApiKeyHash).IsEqualTo(before.ApiKeyHash);

        await ConfirmAsync(ui, Key.A.WithAlt, "Generate a new API key?");
        var shown = await ui.WaitForAsync("shown only this once");

        var after = store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId);
        await Assert.That(after.ApiKeyHash).IsNotEqualTo(before.ApiKeyHash);
        var line = shown.Split('\n').First(l => l.Contains("hk_", StringComparison.Ordinal) && !l.Contains('…'));
        var key = line[line.IndexOf("hk_", StringComparison.Ordinal)..].Split(' ', '┃', '│')[0];
        await Assert.That(Keys.Sha256Hex(key)).IsEqualTo(after.ApiKeyHash);
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync(after.MaskedApiKey!);
    }

    [Test]
    public async Task Changing_the_password_in_the_profile_changes_the_store()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Profile", "Console Shop");

        await ui.PressAsync(Key.Tab);
        await ui.PressAsync(Key.P.WithAlt);
        await ui.WaitForAsync("Current password");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync(ConsoleStore.Password);
        await ui.PressAsync(Key.Tab);
        await ui.TypeAsync("brand-new-secret");
        await ui.PressAsync(Key.Tab);
        await ui.TypeAsync("brand-new-secret");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("Password changed");

        var accounts = store.Cli.Get<IAccountService>();
        await Assert.That(accounts.VerifyCredentials(ConsoleStore.Merchant, "brand-new-secret").Email).IsEqualTo(ConsoleStore.Merchant);
        await Assert.That(() => accounts.VerifyCredentials(ConsoleStore.Merchant, ConsoleStore.Password)).Throws<HiShopException>();
    }

    [Test]
    public async Task Saving_the_profile_writes_the_store_and_keeps_the_bank_account_masked()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Profile", "Console Shop");

        await ui.PressAsync(Key.Tab); // into the screen: the company field
        await ui.PressAsync(Key.End);
        await ui.TypeAsync(" Ltd");
        await ui.PressAsync(Key.S.WithAlt);
        await ui.WaitForAsync("Profile saved.");
        await ui.PressAsync(Key.Enter);

        var merchant = store.Cli.Get<IMerchantService>().Get(store.MerchantId)!;
        await Assert.That(merchant.CompanyName).IsEqualTo("Console Shop Ltd");
        await Assert.That(merchant.BankAccountLast4).IsEqualTo("9012");
    }

    [Test]
    public async Task An_operator_tops_up_from_the_merchants_screen()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        var before = store.Cli.Get<ICreditService>().Summary(store.MerchantId).Balance;

        await SelectRowAsync(ui, ConsoleStore.Merchant);
        await ui.PressAsync(Key.T.WithAlt);
        await ui.WaitForAsync("Amount (USD)");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("25.50");
        await ui.PressAsync(Key.Tab);
        await ui.TypeAsync("console top-up");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, "Add 25.50 USD");
        await ui.WaitForAsync("balance");
        await ui.PressAsync(Key.Enter);

        var after = store.Cli.Get<ICreditService>().Summary(store.MerchantId).Balance;
        await Assert.That(after).IsEqualTo(before + 2_550);
        var entry = store.Cli.Get<ICreditService>().Transactions(store.MerchantId, new TransactionQuery()).Items[0];
        await Assert.That(entry.Memo).IsEqualTo("console top-up");
        await Assert.That(entry.OperatorId).IsEqualTo(store.Cli.Get<IAccountService>().Find(ConsoleStore.Operator)!.Id);
    }

    [Test]
    public async Task After_an_action_on_the_second_merchant_the_cursor_and_the_focus_stay_on_that_merchant()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        var apps = store.Cli.Get<IAppService>();

        await SelectRowAsync(ui, ConsoleStore.Other); // the second row
        await ConfirmAsync(ui, Key.O.WithAlt, $"of {ConsoleStore.Other}?");
        await Poll.UntilAsync(() => Task.FromResult(apps.GetForMerchant(store.OtherId).Status), s => s == "disabled", TimeSpan.FromSeconds(10), "the app disabled");
        await ui.WaitForAsync("disabled"); // the list has come back with the change

        // No reselection: the next Alt+O is about the same merchant (and enables the app again).
        await ConfirmAsync(ui, Key.O.WithAlt, $"Enable the app {apps.GetForMerchant(store.OtherId).AppId} of {ConsoleStore.Other}?");
        await Poll.UntilAsync(() => Task.FromResult(apps.GetForMerchant(store.OtherId).Status), s => s == "active", TimeSpan.FromSeconds(10), "the app enabled again");
        await Assert.That(apps.GetForMerchant(store.MerchantId).Status).IsEqualTo("active");
    }

    [Test]
    public async Task A_merchant_cancels_a_paid_order_from_the_console_and_a_shipped_one_is_refused_before_any_question()
    {
        using var store = await ConsoleStore.CreateAsync();
        var orders = store.Cli.Get<IOrderService>();
        var paid = orders.Place(store.MerchantId, Seed.Order("CONSOLE-CANCEL")).Detail.Order;
        orders.Process(store.OrderNo);
        orders.Ship(store.OrderNo, "DHL", "JD0001");
        var credit = store.Cli.Get<ICreditService>();
        var balance = credit.Summary(store.MerchantId).Balance;
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), width: 120, height: 30);
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Orders", paid.OrderNo);

        await SelectRowAsync(ui, store.OrderNo);
        await ui.PressAsync(Key.C.WithAlt);
        await ui.WaitForAsync("only a paid or processing order can be cancelled");
        await ui.PressAsync(Key.Enter);

        await SelectRowAsync(ui, paid.OrderNo);
        await ui.PressAsync(Key.C.WithAlt);
        await ui.WaitForAsync("Reason (optional)");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("customer changed mind");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, "is refunded to your credit");
        await ui.WaitForAsync("is back on your credit");
        await ui.PressAsync(Key.Enter);

        await Assert.That(orders.Get(paid.OrderNo)!.Order.Status).IsEqualTo("cancelled");
        await Assert.That(credit.Summary(store.MerchantId).Balance).IsEqualTo(balance + paid.TotalAmount);
        await Assert.That(orders.Get(store.OrderNo)!.Order.Status).IsEqualTo("shipped");
    }

    [Test]
    public async Task A_merchant_exports_the_transactions_to_a_csv_file()
    {
        using var store = await ConsoleStore.CreateAsync();
        var path = Path.Combine(store.Cli.DataDir, "export.csv");
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), width: 120, height: 30);
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        var reference = store.Cli.Get<ICreditService>().Transactions(store.MerchantId, new TransactionQuery()).Items[0].ReferenceNo;
        await ui.OpenAsync("Transactions", reference);

        await ui.PressAsync(Key.E.WithAlt);
        await ui.WaitForAsync("Export transactions as CSV");
        await ui.WaitForTextFieldAsync();
        // The field holds a suggestion (a file in the working directory): erase it, then type ours.
        var suggested = Path.Combine(Environment.CurrentDirectory, $"transactions-{DateTime.UtcNow:yyyyMMdd}.csv");
        foreach (var _ in suggested) await ui.PressAsync(Key.Backspace);
        await ui.TypeAsync(path);
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("Wrote");
        await ui.PressAsync(Key.Enter);

        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines[0]).StartsWith("reference_no,");
        await Assert.That(lines.Length).IsEqualTo(1 + (int)store.Cli.Get<ICreditService>().Transactions(store.MerchantId, new TransactionQuery()).Total);
        await Assert.That(lines[1]).StartsWith(reference + ",");
    }

    [Test]
    public async Task Merchants_page_by_a_hundred_and_slash_searches_email_and_company()
    {
        using var store = await ConsoleStore.CreateAsync();
        var accounts = store.Cli.Get<IAccountService>();
        var merchants = store.Cli.Get<IMerchantService>();
        for (var i = 0; i < 100; i++)
            merchants.Create(accounts.Create($"bulk{i:D3}@example.com", ConsoleStore.Password, Roles.Merchant).Id, new MerchantProfileInput { CompanyName = $"Bulk {i:D3}" });
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), width: 120, height: 30);
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        await ui.WaitForAsync("page 1 of 2 · 102 merchants");

        await ui.PressAsync(Key.N.WithAlt);
        var second = await ui.WaitForAsync("page 2 of 2");
        await Assert.That(second).Contains("bulk099@example.com");
        await Assert.That(second).DoesNotContain(ConsoleStore.Other);

        await ui.PressAsync(Key.Esc);
        await ui.PressAsync(new Key('/'));
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("Other Corp");
        await ui.PressAsync(Key.Enter);
        var found = await ui.WaitForAsync("page 1 of 1 · 1 merchant");
        await Assert.That(found).Contains(ConsoleStore.Other);
        await Assert.That(found).DoesNotContain("bulk0");
    }

    [Test]
    public async Task The_category_tree_starts_at_all_categories_and_focusing_it_filters_nothing()
    {
        using var store = await ConsoleStore.CreateAsync();
        var catalog = store.Cli.Get<HiShopping.Store.Catalog.ICatalogService>();
        var lastRoot = catalog.Categories()[^1];
        var title = catalog.ListGoods(new() { CategoryId = lastRoot.CategoryId, PageSize = 1 }).Items[0].Title;
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), width: 120, height: 30);
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Goods", "All categories");

        // Into the tree (it selects its first node, All categories), then a search for goods of the last category.
        await ui.PressAsync(Key.Enter);
        await ui.PressAsync(Key.Tab.WithShift);
        await ui.PressAsync(Key.Tab.WithShift);
        await Assert.That(await ui.OnUiAsync((_, shell) => shell.MostFocused?.GetType().Name ?? "")).StartsWith("TreeView");
        await ui.PressAsync(new Key('/'));
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync(title);
        await ui.PressAsync(Key.Enter);
        var found = await ui.WaitForAsync(title[..16]);
        await Assert.That(found).DoesNotContain("· 0 goods");
    }

    [Test]
    public async Task Orders_page_with_prev_next_buttons_and_ctrl_page_keys_like_every_list()
    {
        using var store = await ConsoleStore.CreateAsync();
        store.Cli.Get<ICreditService>().TopUp(store.MerchantId, 10_000_00, "for many orders", null);
        var orders = store.Cli.Get<IOrderService>();
        for (var i = 0; i < 50; i++) orders.Place(store.MerchantId, Seed.Order($"PAGE-{i:D2}"));
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), width: 120, height: 30);
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Orders", "page 1 of 2 · 51 orders");

        await ui.PressAsync(Key.N.WithAlt);
        await Assert.That(await ui.WaitForAsync("page 2 of 2")).Contains(store.OrderNo); // the oldest is on the last page
        await ui.PressAsync(Key.Esc);
        await ui.PressAsync(Key.Enter); // into the list
        await ui.PressAsync(Key.PageUp.WithCtrl);
        await ui.WaitForAsync("page 1 of 2");
    }

    [Test]
    public async Task A_large_top_up_must_be_typed_twice_and_a_mismatch_changes_nothing()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        var before = store.Cli.Get<ICreditService>().Summary(store.MerchantId).Balance;

        await SelectRowAsync(ui, ConsoleStore.Merchant);
        await ui.PressAsync(Key.T.WithAlt);
        await ui.WaitForAsync("Amount (USD)");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("1000000000.00");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("is a large amount");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("100000000.00");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("nothing was changed");
        await ui.PressAsync(Key.Enter);
        await Assert.That(store.Cli.Get<ICreditService>().Summary(store.MerchantId).Balance).IsEqualTo(before);
    }

    [Test]
    public async Task An_operator_moves_an_order_through_fulfilment_and_cancels_another()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient());
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, ConsoleStore.Other);
        await ui.OpenAsync("All Orders", store.OrderNo);
        var orders = store.Cli.Get<IOrderService>();

        await SelectRowAsync(ui, store.OrderNo);
        await ConfirmAsync(ui, Key.R.WithAlt, "Process order");
        await ui.WaitForAsync("is now processing");
        await ui.PressAsync(Key.Enter);
        await Assert.That(orders.Get(store.OrderNo)!.Order.Status).IsEqualTo("processing");

        await SelectRowAsync(ui, store.OrderNo);
        await ui.PressAsync(Key.H.WithAlt);
        await ui.WaitForAsync("Tracking number");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("DHL");
        await ui.PressAsync(Key.Tab);
        await ui.TypeAsync("JD0123");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, "Ship order");
        await ui.WaitForAsync("is now shipped");
        await ui.PressAsync(Key.Enter);
        await Assert.That(orders.Get(store.OrderNo)!.TrackingNo).IsEqualTo("JD0123");

        await SelectRowAsync(ui, store.OrderNo);
        await ConfirmAsync(ui, Key.D.WithAlt, "Deliver order");
        await ui.WaitForAsync("is now delivered");
        await ui.PressAsync(Key.Enter);
        await Assert.That(orders.Get(store.OrderNo)!.Order.Status).IsEqualTo("delivered");

        var balance = store.Cli.Get<ICreditService>().Summary(store.OtherId).Balance;
        await SelectRowAsync(ui, store.OtherOrderNo);
        await ui.PressAsync(Key.C.WithAlt);
        await ui.WaitForAsync("Reason");
        await ui.WaitForTextFieldAsync();
        await ui.TypeAsync("warehouse fire");
        await ui.PressAsync(Key.Enter);
        await ConfirmAsync(ui, null, "Cancel order");
        await ui.WaitForAsync("is now cancelled");
        await ui.PressAsync(Key.Enter);
        var cancelled = orders.Get(store.OtherOrderNo)!;
        await Assert.That(cancelled.Order.Status).IsEqualTo("cancelled");
        await Assert.That(store.Cli.Get<ICreditService>().Summary(store.OtherId).Balance).IsEqualTo(balance + cancelled.Order.TotalAmount);
    }

    [Test]
    public async Task At_80x24_each_screen_shows_its_essentials_and_at_200x60_the_space_is_used()
    {
        using var store = await ConsoleStore.CreateAsync();
        var reference = store.Cli.Get<ICreditService>().Transactions(store.MerchantId, new TransactionQuery()).Items[0].ReferenceNo;
        await using (var small = await ConsoleHarness.StartAsync(store.LocalClient(), 80, 24))
        {
            await small.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
            var screen = await small.WaitForAsync(reference);
            await Assert.That(Lines(screen).Max(l => l.TrimEnd().Length)).IsLessThanOrEqualTo(80);
            await Assert.That(screen).Contains("Ctrl+Q");
            var ledger = await small.OpenAsync("Transactions", reference);
            await Assert.That(ledger).Contains("Before");
            await Assert.That(ledger).Contains("After");
            await Assert.That(Lines(ledger).Max(l => l.TrimEnd().Length)).IsLessThanOrEqualTo(80);
            await small.OpenAsync("Keys", "Regenerate sign key");
            await small.OpenAsync("Profile", "Change password");
            await small.OpenAsync("Orders", store.OrderNo);
        }
        await using var large = await ConsoleHarness.StartAsync(store.LocalClient(), 200, 60);
        await large.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        var wide = await large.OpenAsync("Transactions", "Balance Before");
        await Assert.That(wide).Contains("Memo");
        await Assert.That(wide).Contains("console test credit");
        await Assert.That(Lines(wide).Length).IsEqualTo(60);
        await Assert.That(Lines(wide).Max(l => l.TrimEnd().Length)).IsGreaterThan(150);
    }

    private static string[] Lines(string screen) => screen.TrimEnd('\n').Split('\n');

    /// <summary>Moves the table's selection down to the row showing <paramref name="text"/>.</summary>
    internal static async Task SelectRowAsync(ConsoleHarness ui, string text)
    {
        // Esc goes back to the screen list; Enter there goes into the screen's table.
        await ui.PressAsync(Key.Esc);
        await ui.PressAsync(Key.Enter);
        var focused = await ui.OnUiAsync((_, shell) => shell.MostFocused?.GetType().Name);
        if (focused != "TableView") throw new InvalidOperationException($"Enter in the screen list focused {focused}, not the table");
        await ui.PressAsync(Key.Home.WithCtrl);
        for (var i = 0; i < 30; i++)
        {
            var selected = await ui.OnUiAsync((_, shell) =>
            {
                var table = shell.MostFocused as Terminal.Gui.Views.TableView;
                var row = table?.Value?.SelectedCell.Y ?? -1;
                if (table?.Table is null || row < 0 || row >= table.Table.Rows) return "";
                return string.Join(" ", Enumerable.Range(0, table.Table.Columns).Select(c => table.Table[row, c]?.ToString()));
            });
            if (selected.Contains(text, StringComparison.Ordinal)) return;
            await ui.PressAsync(Key.CursorDown);
        }
        throw new InvalidOperationException($"no row shows {text} (focus on {await ui.OnUiAsync((_, shell) => shell.MostFocused?.GetType().Name)}):\n{await ui.ScreenAsync()}");
    }

    /// <summary>Says yes to a confirmation: "No" is its default, so the yes button is chosen first (Shift+Tab).</summary>
    internal static async Task ConfirmAsync(ConsoleHarness ui, Key? key, string title)
    {
        if (key is { } k) await ui.PressAsync(k);
        await ui.WaitForAsync(title);
        await ui.PressAsync(Key.Tab.WithShift);
        await ui.PressAsync(Key.Enter);
    }
}
