using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

public sealed class CreditCommandTests
{
    private static async Task<(CliRunner Cli, long MerchantId)> MerchantAsync()
    {
        var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "op@example.com", "--password", "password-123", "--role", "operator");
        await cli.RunAsync("user", "create", "--email", "buyer@example.com", "--password", "password-123");
        var user = cli.Get<IAccountService>().Find("buyer@example.com")!;
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Buyer Ltd" });
        return (cli, merchant.Id);
    }

    [Test]
    public async Task Topup_adds_credit_and_records_the_operator()
    {
        var (cli, merchantId) = await MerchantAsync();
        using var _ = cli;

        var result = await cli.RunAsync("credit", "topup", "--merchant", "buyer@example.com", "--amount", "100.00", "--memo", "wire 42");

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Out).Contains("TOPUP 100.00 USD");
        await Assert.That(result.Out).Contains("0.00 -> 100.00");
        var entry = cli.Get<ICreditService>().Transactions(merchantId, new TransactionQuery()).Items.Single();
        await Assert.That(entry.Amount).IsEqualTo(10_000);
        await Assert.That(entry.Memo).IsEqualTo("wire 42");
        await Assert.That(entry.OperatorId).IsEqualTo(cli.Get<IAccountService>().Find("op@example.com")!.Id);

        var byId = await cli.RunAsync("credit", "topup", "--merchant", merchantId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--amount", "0.5");
        await Assert.That(byId.ExitCode).IsEqualTo(0);
        await Assert.That(cli.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(10_050);
    }

    [Test]
    [Arguments("abc", 2)]
    [Arguments("-5", 2)]
    [Arguments("0", 2)]
    [Arguments("0.00", 2)]
    [Arguments("1.234", 2)]
    [Arguments("1e5", 2)]
    [Arguments("10000000000.00", 2)]
    public async Task Topup_with_a_bad_amount_exits_non_zero_with_one_line_and_changes_nothing(string amount, int exitCode)
    {
        var (cli, merchantId) = await MerchantAsync();
        using var _ = cli;

        var result = await cli.RunAsync("credit", "topup", "--merchant", "buyer@example.com", "--amount", amount);

        await Assert.That(result.ExitCode).IsEqualTo(exitCode);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(result.Err).Contains("--amount");
        await Assert.That(result.Out).IsEmpty();
        await Assert.That(cli.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(0);
        await Assert.That(cli.Get<ICreditService>().Transactions(merchantId, new TransactionQuery()).Total).IsEqualTo(0);
    }

    [Test]
    [Arguments("nobody@example.com")]
    [Arguments("op@example.com")]
    [Arguments("999")]
    public async Task Topup_for_someone_who_is_not_a_merchant_exits_1_with_one_line(string who)
    {
        var (cli, merchantId) = await MerchantAsync();
        using var _ = cli;

        var result = await cli.RunAsync("credit", "topup", "--merchant", who, "--amount", "10.00");

        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(cli.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(0);
    }

    [Test]
    public async Task Topup_without_amount_is_a_usage_error()
    {
        var (cli, _) = await MerchantAsync();
        using var __ = cli;
        var result = await cli.RunAsync("credit", "topup", "--merchant", "buyer@example.com");
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(result.Err).Contains("--amount");
        await Assert.That(Money.Format(0)).IsEqualTo("0.00");
    }
}
