using HiShopping.Store;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;

namespace HiShopping.Testing;

/// <summary>A data directory with a merchant (credit, keys, an order), a second merchant and an operator.</summary>
public sealed class ConsoleStore : IDisposable
{
    public const string Merchant = "shop@example.com";
    public const string Other = "other@example.com";
    public const string Operator = "ops@example.com";
    public const string Password = "password-123";

    public CliRunner Cli { get; } = new(seeded: true);
    public long MerchantId { get; private set; }
    public long OtherId { get; private set; }
    public string OrderNo { get; private set; } = "";
    public string OtherOrderNo { get; private set; } = "";

    public static Task<ConsoleStore> CreateAsync() => Task.FromResult(Create());

    /// <summary>The store behind a console test: the seeded template plus the users, credit, keys and orders above.</summary>
    public static ConsoleStore Create()
    {
        var s = new ConsoleStore();
        var accounts = s.Cli.Get<IAccountService>();
        var merchants = s.Cli.Get<IMerchantService>();
        var user = accounts.Create(Merchant, Password, Roles.Merchant);
        s.MerchantId = merchants.Create(user.Id, new MerchantProfileInput
        {
            CompanyName = "Console Shop", ContactName = "Grace Hopper", BankName = "Navy Bank", BankAccountNumber = "US00 1234 5678 9012",
        }).Id;
        var other = accounts.Create(Other, Password, Roles.Merchant);
        s.OtherId = merchants.Create(other.Id, new MerchantProfileInput { CompanyName = "Other Corp" }).Id;
        accounts.Create(Operator, Password, Roles.Operator);
        var credit = s.Cli.Get<ICreditService>();
        credit.TopUp(s.MerchantId, 123_456, "console test credit", null);
        credit.TopUp(s.OtherId, 99_900, "other credit", null);
        s.Cli.Get<IAppService>().RegenerateApiKey(user.Id);
        s.Cli.Get<IAppService>().RegenerateSignKey(user.Id);
        var orders = s.Cli.Get<IOrderService>();
        s.OrderNo = orders.Place(s.MerchantId, Order("CONSOLE-1")).Detail.Order.OrderNo;
        s.OtherOrderNo = orders.Place(s.OtherId, Order("OTHER-SECRET-1")).Detail.Order.OrderNo;
        return s;
    }

    public static PlaceOrderInput Order(string mon) => new()
    {
        MerchantOrderNo = mon, Items = [new OrderLine("sku-100001", 2)],
        Shipping = new ShippingAddress { Name = "Ada", Phone = "1", Country = "US", State = "NY", City = "NYC", Address1 = "5th Ave", PostalCode = "10001" },
    };

    public LocalConsoleClient LocalClient() => new(Cli.Services, Cli.DataDir);

    public void Dispose() => Cli.Dispose();
}
