using System.Text.Json;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>Issue 13: the CLI's --json prints the API's contract records — the same shapes as the golden files.</summary>
public sealed class JsonShapeTests
{
    [Test]
    public async Task The_clis_json_has_the_shapes_of_the_apis_contracts()
    {
        using var cli = new CliRunner(seeded: true);
        await cli.RunAsync("user", "create", "--email", "shop@example.com", "--password", "password-123");
        var user = cli.Get<IAccountService>().Find("shop@example.com")!;
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Shape Shop", BankAccountNumber = "DE44500105175407324931" });
        cli.Get<ICreditService>().TopUp(merchant.Id, 100_000, null, null);
        cli.Get<IAppService>().RegenerateApiKey(user.Id);
        cli.Get<IAppService>().Update(user.Id, new AppUpdate { IpWhitelist = ["203.0.113.0/24"] });
        var orders = cli.Get<IOrderService>();
        var orderNo = orders.Place(merchant.Id, Seed.Order("SHAPE-1")).Detail.Order.OrderNo;
        orders.Process(orderNo);
        orders.Ship(orderNo, "DHL", "JD0123");

        await SameShape(await Json(cli, "user", "list", "--json"), "UserResponse", array: true);
        await SameShape(await Json(cli, "merchant", "list", "--json"), "MerchantSummaryResponse", array: true);
        await SameShape(await Json(cli, "merchant", "show", "--merchant", "shop@example.com", "--json"), "MerchantOverviewResponse");
        await SameShape(await Json(cli, "order", "list", "--json"), "PageResponse_OrderSummaryResponse");
        await SameShape(await Json(cli, "order", "show", "--order-no", orderNo, "--json"), "OrderDetailResponse");
        await SameShape(await Json(cli, "catalog", "stats", "--json"), "CatalogStatsResponse");
    }

    private static async Task<JsonElement> Json(CliRunner cli, params string[] args)
    {
        var result = await cli.RunAsync(args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"hishop {string.Join(' ', args)}: {result.Err}");
        using var document = JsonDocument.Parse(result.Out);
        return document.RootElement.Clone();
    }

    private static async Task SameShape(JsonElement printed, string contract, bool array = false)
    {
        using var golden = JsonDocument.Parse(await File.ReadAllTextAsync(ContractSamples.GoldenPath(contract)));
        var expected = ContractSamples.Shape(golden.RootElement).Select(p => array ? "$[]" + p[1..] : p).ToList();
        await Assert.That(ContractSamples.Shape(printed)).IsEquivalentTo(expected).Because($"--json should print {contract}");
    }
}
