using System.Globalization;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

public sealed class OperatorCommandTests
{
    private static async Task<(CliRunner Cli, long MerchantId)> SeededAsync(long credit = 100_000)
    {
        var cli = new CliRunner();
        (await cli.RunAsync("demo")).ExitCode.ToString();
        await cli.RunAsync("user", "create", "--email", "m@example.com", "--password", "password-123");
        var user = cli.Get<IAccountService>().Find("m@example.com")!;
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "M Ltd" });
        if (credit > 0) cli.Get<ICreditService>().TopUp(merchant.Id, credit, null, null);
        return (cli, merchant.Id);
    }

    private static string Place(CliRunner cli, long merchantId, string mon) =>
        cli.Get<IOrderService>().Place(merchantId, new PlaceOrderInput
        {
            MerchantOrderNo = mon, Items = [new OrderLine("sku-100001", 1)],
            Shipping = new ShippingAddress { Name = "A", Phone = "1", Country = "US", State = "CA", City = "LA", Address1 = "1 St", PostalCode = "9" },
        }).Detail.Order.OrderNo;

    [Test]
    public async Task Orders_move_through_process_ship_deliver_and_each_step_is_in_the_history()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;
        var no = Place(cli, merchantId, "CLI-1");

        await Assert.That((await cli.RunAsync("order", "process", "--order-no", no)).ExitCode).IsEqualTo(0);
        var ship = await cli.RunAsync("order", "ship", "--order-no", no, "--carrier", "DHL", "--tracking-no", "JD014600006281");
        await Assert.That(ship.ExitCode).IsEqualTo(0);
        await Assert.That(ship.Out).Contains("shipped");
        await Assert.That((await cli.RunAsync("order", "deliver", "--order-no", no)).ExitCode).IsEqualTo(0);

        var detail = cli.Get<IOrderService>().Get(no)!;
        await Assert.That(string.Join(",", detail.History.Select(h => h.Status))).IsEqualTo("paid,processing,shipped,delivered");
        await Assert.That(detail.TrackingNo).IsEqualTo("JD014600006281");
        var show = await cli.RunAsync("order", "show", "--order-no", no);
        await Assert.That(show.Out).Contains("DHL JD014600006281");
        var json = await cli.RunAsync("order", "list", "--status", "delivered", "--json");
        await Assert.That(json.Out).Contains(no);
    }

    [Test]
    public async Task Order_list_prints_the_next_cursor_and_the_cursor_gives_the_next_page()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;
        var placed = Enumerable.Range(1, 5).Select(i => Place(cli, merchantId, $"CUR-{i}")).ToList();

        var first = await cli.RunAsync("order", "list", "--page-size", "2");
        await Assert.That(first.ExitCode).IsEqualTo(0);
        var footer = first.Out.Trim().Split('\n')[^1];
        await Assert.That(footer).StartsWith("page 1 of 3, 5 orders; next page: --cursor ");
        var second = await cli.RunAsync("order", "list", "--page-size", "2", "--cursor", footer.Split(' ')[^1]);
        await Assert.That(second.Out).Contains(placed[2]);
        await Assert.That(second.Out).Contains(placed[1]);
        await Assert.That(second.Out).DoesNotContain(placed[3]);
        var last = await cli.RunAsync("order", "list", "--page-size", "2", "--cursor", second.Out.Trim().Split('\n')[^1].Split(' ')[^1]);
        await Assert.That(last.Out).Contains(placed[0]);
        await Assert.That(last.Out.Trim().Split('\n')[^1]).DoesNotContain("--cursor");
    }

    [Test]
    public async Task Credit_transactions_lists_a_merchants_ledger_and_prints_all_of_it_as_csv()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;
        var credit = cli.Get<ICreditService>();
        for (var i = 0; i < 3; i++) credit.Adjust(merchantId, -1_00, $"fix {i}", null);
        var total = credit.Transactions(merchantId, new TransactionQuery()).Total;

        var table = await cli.RunAsync("credit", "transactions", "--merchant", merchantId.ToString(CultureInfo.InvariantCulture), "--type", "ADJUST", "--page-size", "2");
        await Assert.That(table.ExitCode).IsEqualTo(0);
        await Assert.That(table.Out).Contains("fix 2");
        await Assert.That(table.Out.Trim().Split('\n')[^1]).StartsWith("page 1 of 2, 3 entries; next page: --cursor ");

        var csv = await cli.RunAsync("credit", "transactions", "--merchant", merchantId.ToString(CultureInfo.InvariantCulture), "--csv");
        var lines = csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines[0]).StartsWith("reference_no,type,amount");
        await Assert.That(lines.Length).IsEqualTo(1 + (int)total);

        var bad = await cli.RunAsync("credit", "transactions", "--merchant", merchantId.ToString(CultureInfo.InvariantCulture), "--from", "yesterday");
        await Assert.That(bad.ExitCode).IsEqualTo(2);
        await Assert.That(bad.ErrLines.Length).IsEqualTo(1);
    }

    [Test]
    public async Task Illegal_moves_exit_1_with_one_line_and_change_nothing()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;
        var no = Place(cli, merchantId, "CLI-2");

        foreach (var args in new[]
                 {
                     new[] { "order", "deliver", "--order-no", no },
                     ["order", "ship", "--order-no", no, "--carrier", "DHL", "--tracking-no", "1"],
                     ["order", "process", "--order-no", "HS000"],
                 })
        {
            var result = await cli.RunAsync(args);
            await Assert.That(result.ExitCode).IsEqualTo(1);
            await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        }
        var missingCarrier = await cli.RunAsync("order", "ship", "--order-no", no, "--tracking-no", "1");
        await Assert.That(missingCarrier.ExitCode).IsEqualTo(2);
        var detail = cli.Get<IOrderService>().Get(no)!;
        await Assert.That(detail.Order.Status).IsEqualTo("paid");
        await Assert.That(detail.History.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Cancel_refunds_in_full_once()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;
        var no = Place(cli, merchantId, "CLI-3");
        var before = cli.Get<ICreditService>().Summary(merchantId).Balance;

        var cancel = await cli.RunAsync("order", "cancel", "--order-no", no, "--reason", "out of stock at the warehouse");
        var again = await cli.RunAsync("order", "cancel", "--order-no", no);

        await Assert.That(cancel.ExitCode).IsEqualTo(0);
        await Assert.That(cancel.Out).Contains("refunded");
        await Assert.That(again.ExitCode).IsEqualTo(1);
        await Assert.That(cli.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(100_000);
        await Assert.That(before).IsLessThan(100_000);
        await Assert.That(cli.Get<IOrderService>().Get(no)!.History.Last().Note).Contains("out of stock at the warehouse");
    }

    [Test]
    public async Task Credit_limit_fee_and_adjust_change_the_account_and_bad_values_change_nothing()
    {
        var (cli, merchantId) = await SeededAsync(credit: 10_000);
        using var _ = cli;

        await Assert.That((await cli.RunAsync("credit", "limit", "--merchant", "m@example.com", "--amount", "50.00")).ExitCode).IsEqualTo(0);
        await Assert.That((await cli.RunAsync("credit", "fee", "--merchant", "m@example.com", "--rate-bps", "250")).ExitCode).IsEqualTo(0);
        var adjust = await cli.RunAsync("credit", "adjust", "--merchant", "m@example.com", "--amount", "-25.50", "--memo", "chargeback");
        await Assert.That(adjust.ExitCode).IsEqualTo(0);

        var summary = cli.Get<ICreditService>().Summary(merchantId);
        await Assert.That(summary.CreditLimit).IsEqualTo(5_000);
        await Assert.That(summary.Balance).IsEqualTo(10_000 - 2_550);
        await Assert.That(cli.Get<IMerchantService>().Get(merchantId)!.FeeRateBps).IsEqualTo(250);

        foreach (var args in new[]
                 {
                     new[] { "credit", "limit", "--merchant", "m@example.com", "--amount", "-1" },
                     ["credit", "limit", "--merchant", "m@example.com", "--amount", "abc"],
                     ["credit", "fee", "--merchant", "m@example.com", "--rate-bps", "10001"],
                     ["credit", "fee", "--merchant", "m@example.com", "--rate-bps", "1.5"],
                     ["credit", "adjust", "--merchant", "m@example.com", "--amount", "5.00"],
                     ["credit", "adjust", "--merchant", "m@example.com", "--amount", "-100000.00", "--memo", "too far"],
                     ["credit", "adjust", "--merchant", "m@example.com", "--amount", "0", "--memo", "nothing"],
                 })
        {
            var result = await cli.RunAsync(args);
            await Assert.That(result.ExitCode).IsNotEqualTo(0);
            await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        }
        var after = cli.Get<ICreditService>().Summary(merchantId);
        await Assert.That(after.Balance).IsEqualTo(summary.Balance);
        await Assert.That(after.CreditLimit).IsEqualTo(summary.CreditLimit);
        await Assert.That(cli.Get<IMerchantService>().Get(merchantId)!.FeeRateBps).IsEqualTo(250);
    }

    [Test]
    public async Task App_disable_and_enable_flip_the_apps_status()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;

        await Assert.That((await cli.RunAsync("app", "disable", "--merchant", "m@example.com")).ExitCode).IsEqualTo(0);
        await Assert.That(cli.Get<IAppService>().GetForMerchant(merchantId).Usable).IsFalse();
        await Assert.That((await cli.RunAsync("app", "enable", "--merchant", merchantId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode).IsEqualTo(0);
        await Assert.That(cli.Get<IAppService>().GetForMerchant(merchantId).Usable).IsTrue();
        var unknown = await cli.RunAsync("app", "disable", "--merchant", "ghost@example.com");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
    }

    [Test]
    public async Task Merchant_list_and_show_print_tables_and_json()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;

        var list = await cli.RunAsync("merchant", "list");
        await Assert.That(list.Out).Contains("m@example.com");
        await Assert.That(list.Out).Contains("1000.00");
        var show = await cli.RunAsync("merchant", "show", "--merchant", "m@example.com", "--json");
        using var json = System.Text.Json.JsonDocument.Parse(show.Out);
        await Assert.That(json.RootElement.GetProperty("merchant").GetProperty("merchant_id").GetInt64()).IsEqualTo(merchantId);
        await Assert.That(show.Out).DoesNotContain("sk_");
    }

    [Test]
    public async Task Db_check_is_green_on_a_sound_store_and_names_each_violation_otherwise()
    {
        var (cli, merchantId) = await SeededAsync();
        using var _ = cli;
        Place(cli, merchantId, "CHECK-1");

        var green = await cli.RunAsync("db", "check");
        await Assert.That(green.ExitCode).IsEqualTo(0);
        await Assert.That(green.Out).Contains("integrity: ok");
        await Assert.That(green.Out).Contains("ledger violations: 0");

        // Corrupt the balance behind the ledger's back, as a bad manual edit would.
        using (var c = cli.Get<HiShopping.Store.Database.Db>().Open())
            Dapper.SqlMapper.Execute(c, "UPDATE credit_accounts SET balance = balance + 1 WHERE merchant_id = @m", new { m = merchantId });
        var red = await cli.RunAsync("db", "check");
        await Assert.That(red.ExitCode).IsEqualTo(1);
        await Assert.That(red.Err).Contains($"merchant {merchantId}: balance");
        await Assert.That(red.Out).Contains("FAILED");
    }

    [Test]
    public async Task Db_backup_copies_a_sqlite_store_and_sends_a_postgresql_one_to_pg_dump()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var target = Path.Combine(Path.GetTempPath(), $"hishop-backup-{Guid.NewGuid():N}.db");
        try
        {
            var backup = await cli.RunAsync("db", "backup", target);
            if (TestData.Postgres is null)
            {
                await Assert.That(backup.ExitCode).IsEqualTo(0);
                await Assert.That(new FileInfo(target).Length).IsGreaterThan(0);
            }
            else
            {
                // A PostgreSQL store is backed up by PostgreSQL's own tool; nothing is written.
                await Assert.That(backup.ExitCode).IsEqualTo(2);
                await Assert.That(backup.ErrLines.Length).IsEqualTo(1);
                await Assert.That(backup.Err).Contains("pg_dump");
                await Assert.That(File.Exists(target)).IsFalse();
            }
        }
        finally { File.Delete(target); }
    }

    [Test]
    public async Task Demo_prints_keys_and_a_signed_curl_and_refreshes_keys_when_run_again()
    {
        using var cli = new CliRunner();
        var first = await cli.RunAsync("demo", "--server", "http://127.0.0.1:5080");
        await Assert.That(first.ExitCode).IsEqualTo(0);
        foreach (var text in new[] { "App ID:", "API key:       hk_", "sign key:      sk_", "curl -sS -X POST 'http://127.0.0.1:5080/api/v1/open/orders'", "X-Signature: ", "password:" })
            await Assert.That(first.Out).Contains(text);
        var merchant = cli.Get<IMerchantService>().Resolve(DemoEmail);
        await Assert.That(cli.Get<ICreditService>().Summary(merchant.Id).Balance).IsEqualTo(100_000);

        var second = await cli.RunAsync("demo");
        await Assert.That(second.ExitCode).IsEqualTo(0);
        await Assert.That(second.Out).DoesNotContain("password:");
        await Assert.That(cli.Get<ICreditService>().Summary(merchant.Id).Balance).IsEqualTo(100_000);
        static string Key(string output) => output.Split('\n').Single(l => l.StartsWith("API key:", StringComparison.Ordinal));
        await Assert.That(Key(second.Out)).IsNotEqualTo(Key(first.Out));
    }

    private const string DemoEmail = "demo@hishop.local";
}
