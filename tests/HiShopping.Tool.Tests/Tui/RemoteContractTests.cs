using System.Net;
using System.Text;
using HiShopping.Store;
using HiShopping.Tool.Tui.Client;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>Issue 13: the remote console reads the API's contracts as they are, and refuses what does not fit them.</summary>
public sealed class RemoteContractTests
{
    private sealed class Canned(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    private const string Credit = """
        {"code":0,"message":"success","data":{"balance":"BALANCE","credit_limit":"0.00","available":"12.50","total_credited":"12.50",
        "total_consumed":"0.00","total_refunded":"0.00","utilization":0,"currency":"USD","status":"active","last_30_days":[]},"request_id":"x"}
        """;

    [Test]
    public async Task A_well_formed_answer_is_read_into_the_contract()
    {
        using var client = new RemoteConsoleClient(new Uri("http://127.0.0.1:1"), new Canned(Credit.Replace("BALANCE", "12.50")));
        var credit = await client.CreditAsync();
        await Assert.That(credit.Balance.Minor).IsEqualTo(1250);
    }

    [Test]
    [Arguments("12.5x")]
    [Arguments("12.5")]
    [Arguments("")]
    public async Task A_malformed_amount_from_the_server_is_an_error_not_a_zero(string balance)
    {
        using var client = new RemoteConsoleClient(new Uri("http://127.0.0.1:1"), new Canned(Credit.Replace("BALANCE", balance)));
        var error = await Assert.That(async () => await client.CreditAsync()).Throws<HiShopException>();
        await Assert.That(error!.Message).Contains("does not fit this console");
        await Assert.That(error.Message).Contains(balance.Length == 0 ? "amount" : balance);
    }

    [Test]
    public async Task An_answer_without_the_envelope_is_an_error()
    {
        using var client = new RemoteConsoleClient(new Uri("http://127.0.0.1:1"), new Canned("<html>proxy error</html>"));
        var error = await Assert.That(async () => await client.CreditAsync()).Throws<HiShopException>();
        await Assert.That(error!.Message).Contains("without the HiShopping envelope");
    }
}
