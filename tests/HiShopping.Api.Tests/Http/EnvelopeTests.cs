using System.Net;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Api.Tests.Http;

/// <summary>A server whose credit reads blow up, to see what a 500 looks like from outside.</summary>
public sealed class BrokenCreditServer : ApiServer
{
    protected override bool SeedDemoCatalog => false;

    protected override void Configure(IServiceCollection services) =>
        services.AddSingleton<ICreditService>(new ExplodingCredit());

    private sealed class ExplodingCredit : ICreditService
    {
        private static Exception Boom() => new InvalidOperationException("secret internal detail: connection string xyz");
        public CreditSummary Summary(long merchantId) => throw Boom();
        public PageOf<LedgerEntry> Transactions(long merchantId, TransactionQuery query) => throw Boom();
        public LedgerEntry TopUp(long merchantId, long amount, string? memo, long? operatorId) => throw Boom();
        public LedgerEntry Adjust(long merchantId, long amount, string memo, long? operatorId) => throw Boom();
        public CreditSummary SetLimit(long merchantId, long creditLimit) => throw Boom();
        public void SetFeeRate(long merchantId, int feeRateBps) => throw Boom();
    }
}

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class EnvelopeTests(ApiServer server)
{
    [Test]
    [Arguments("GET", "/api/v1/web/nothing-here", HttpStatusCode.NotFound, 4004)]
    [Arguments("GET", "/nowhere", HttpStatusCode.NotFound, 4004)]
    [Arguments("DELETE", "/api/v1/web/login", HttpStatusCode.MethodNotAllowed, 4000)]
    [Arguments("GET", "/api/v1/web/merchant", HttpStatusCode.Unauthorized, 4001)]
    public async Task Framework_answers_come_in_the_envelope(string method, string path, HttpStatusCode status, int code)
    {
        var response = await new Session(server, null, "").SendAsync(new HttpMethod(method), path);
        await Assert.That(response.Status).IsEqualTo(status);
        await Assert.That(response.Code).IsEqualTo(code);
        await Assert.That(response.RequestId).IsNotEmpty();
    }

    [Test]
    public async Task Every_response_has_the_request_id_and_security_headers_and_no_server_banner()
    {
        using var response = await server.Http.GetAsync("/healthz");
        var body = await ApiResponse.ReadAsync(response);

        await Assert.That(body.Code).IsEqualTo(0);
        await Assert.That(body.Data.GetProperty("status").GetString()).IsEqualTo("ok");
        await Assert.That(response.Headers.GetValues("X-Request-Id").Single()).IsEqualTo(body.RequestId);
        await Assert.That(response.Headers.CacheControl!.NoStore).IsTrue();
        await Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single()).IsEqualTo("nosniff");
        await Assert.That(response.Headers.GetValues("X-Frame-Options").Single()).IsEqualTo("DENY");
        await Assert.That(response.Headers.Contains("Server")).IsFalse();
        await Assert.That(body.RequestId).Matches("^[0-9A-Z]{26}$");
    }

    [Test]
    public async Task An_unexpected_failure_is_5001_with_no_detail()
    {
        await using var broken = new BrokenCreditServer();
        await broken.InitializeAsync();
        var session = await broken.NewMerchantAsync();

        var response = await session.GetAsync("/api/v1/web/credit");

        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(response.Code).IsEqualTo(5001);
        await Assert.That(response.Raw).DoesNotContain("secret internal detail");
        await Assert.That(response.Raw).DoesNotContain("Exception");
        await Assert.That(response.Headers.GetValues("X-Request-Id").Single()).IsEqualTo(response.RequestId);
    }
}
