using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Security;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop demo</c>: a merchant with credit and keys, and a signed curl that places an order.</summary>
public static class DemoCommand
{
    public const string DemoEmail = "demo@hishop.local";
    private const long DemoCredit = 100_000;

    public static Command Build(Func<string, string?> env)
    {
        var server = new Option<string?>("--server") { Description = "Base URL for the curl line (default: the configured serve address)" };
        var notifyUrl = new Option<string?>("--notify-url") { Description = "Send the demo merchant's webhooks here (see docs/webhooks.md)" };
        var command = new Command("demo", "Create (or refresh) a demo merchant with credit and new keys, and print a signed order request") { server, notifyUrl };
        HishopCli.Handle(command, env, c =>
        {
            c.Get<IStoreInitializer>().Initialize(seedDemoCatalog: true, createOperator: false);
            var accounts = c.Accounts;
            var user = accounts.Find(DemoEmail);
            string? password = null;
            if (user is null)
            {
                password = PasswordHasher.Generate();
                user = accounts.Create(DemoEmail, password, Roles.Merchant);
            }
            if (user.Role != Roles.Merchant) throw new HiShopException(ErrorCode.Conflict, $"{DemoEmail} exists and is not a merchant.");
            var merchant = c.Merchants.FindByUser(user.Id) ?? c.Merchants.Create(user.Id, new MerchantProfileInput
            {
                CompanyName = "Demo Store", ContactName = "Demo Merchant", Country = "US", Website = "https://demo.hishop.example",
            });
            var credit = c.Credit.Summary(merchant.Id);
            if (credit.TotalCredited == 0) c.Credit.TopUp(merchant.Id, DemoCredit, "demo credit", CreditCommands.OperatorId(c, null));
            var apps = c.Get<IAppService>();
            if (c.Value(notifyUrl) is { } hook) apps.Update(user.Id, new AppUpdate { NotifyUrl = hook });
            var apiKey = apps.RegenerateApiKey(user.Id).Key;
            var signKey = apps.RegenerateSignKey(user.Id).Key;
            var app = apps.GetForUser(user.Id);
            var sku = InStockSku(c.Get<ICatalogService>());

            var body = JsonSerializer.Serialize(new
            {
                merchant_order_no = "DEMO-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                items = new[] { new { sku_id = sku, quantity = 1 } },
                shipping = new
                {
                    name = "Ada Lovelace", phone = "+1 555 0100", country = "US", state = "CA", city = "San Francisco",
                    address1 = "1 Market St", postal_code = "94105",
                },
                remark = "placed by hishop demo",
            }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            const string path = "/api/v1/open/orders";
            var signed = SignCommand.Signed("POST", path, null, app.AppId, apiKey, signKey, ts, SignCommand.NewNonce(), Encoding.UTF8.GetBytes(body));
            var balance = c.Credit.Summary(merchant.Id);

            var o = c.Out;
            o.WriteLine($"demo merchant: {user.Email} (merchant {merchant.Id}, {merchant.CompanyName})");
            if (password is not null) o.WriteLine($"password:      {password}  (shown only now)");
            o.WriteLine($"credit:        balance {Money.Format(balance.Balance)} USD, available {Money.Format(balance.Available)} USD");
            o.WriteLine($"App ID:        {app.AppId}");
            o.WriteLine($"API key:       {apiKey}");
            o.WriteLine($"sign key:      {signKey}");
            if (app.NotifyUrl is not null) o.WriteLine($"notify URL:    {app.NotifyUrl}  (events signed with the sign key; serve delivers them)");
            o.WriteLine("(the keys are new: keys printed by an earlier `hishop demo` no longer work; these are shown only now)");
            o.WriteLine();
            o.WriteLine("Place an order (signed now: run it within 5 minutes, once — the nonce is single-use; `hishop serve` must be running):");
            o.WriteLine();
            o.WriteLine(SignCommand.Curl("POST", (c.Value(server) ?? ServerUrl(c)).TrimEnd('/') + path, signed.Headers, body));
            o.WriteLine();
            o.WriteLine("Sign other requests with: hishop sign --app-id … --api-key … --sign-key … GET /api/v1/open/credit");
            return HishopCli.Ok;
        });
        return command;
    }

    /// <summary>The address curl lines point at: the configured serve address, with a wildcard host made loopback.</summary>
    public static string ServerUrl(CliContext c)
    {
        var urls = c.Config.Api(c.StoreOptions.DataDir, null, null).Urls;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return first.Replace("://0.0.0.0", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
    }

    private static string InStockSku(ICatalogService catalog)
    {
        var preferred = catalog.GetGoods("gd-100001")?.Skus.FirstOrDefault(s => s.Stock > 0);
        if (preferred is not null) return preferred.SkuId;
        foreach (var goods in catalog.ListGoods(new GoodsQuery { PageSize = 100, Sort = "price_asc" }).Items.Where(g => g.InStock))
        {
            var sku = catalog.GetGoods(goods.GoodsId)?.Skus.FirstOrDefault(s => s.Stock > 0);
            if (sku is not null) return sku.SkuId;
        }
        throw new HiShopException(ErrorCode.GoodsUnavailable, "The catalog has no goods in stock to order.");
    }
}
