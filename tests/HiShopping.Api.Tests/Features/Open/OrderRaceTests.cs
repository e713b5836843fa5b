using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features.Open;

/// <summary>Concurrent orders over real HTTP: the ledger never goes below its floor and never debits twice.</summary>
[NotInParallel("order-races")]
public sealed class OrderRaceTests
{
    [Test]
    public async Task Credit_for_K_orders_and_4K_racing_distinct_orders_lets_exactly_K_through()
    {
        await using var server = await ApiServer.StartAsync(seedDemoCatalog: true);
        const int k = 10;
        var price = server.Get<ICatalogService>().GetGoods("gd-100002")!.Skus[0];
        var client = await server.NewIntegrationAsync(credit: price.Price * k);
        server.Get<ICreditService>().SetLimit(client.MerchantId, 0);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4 * k).Select(i =>
            Task.Run(() => client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody($"RACE-{i}", price.SkuId)))));

        await Assert.That(responses.Count(r => r.Code == 0)).IsEqualTo(k);
        await Assert.That(responses.Count(r => r.Code == 2001)).IsEqualTo(3 * k);
        await Assert.That(responses.Any(r => (int)r.Status >= 500)).IsFalse();
        await Assert.That(responses.Any(r => r.Raw.Contains("locked", StringComparison.OrdinalIgnoreCase))).IsFalse();
        var summary = server.Get<ICreditService>().Summary(client.MerchantId);
        await Assert.That(summary.Balance).IsEqualTo(0);
        await Assert.That(server.Get<IOrderService>().List(new OrderQuery { MerchantId = client.MerchantId }).Total).IsEqualTo(k);
        await Assert.That(server.Get<ILedgerAuditor>().Check().Violations).IsEmpty();
    }

    [Test]
    public async Task Twenty_five_identical_racing_orders_make_one_order_and_one_debit()
    {
        await using var server = await ApiServer.StartAsync(seedDemoCatalog: true);
        var client = await server.NewIntegrationAsync(credit: 10_000_000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ =>
            Task.Run(() => client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("SAME-ORDER-1")))));

        var winners = responses.Where(r => r.Code == 0).ToList();
        await Assert.That(winners.Count).IsEqualTo(1);
        var orderNo = winners[0].Data.GetProperty("order_no").GetString();
        var duplicates = responses.Where(r => r.Code == 2002).ToList();
        await Assert.That(duplicates.Count).IsEqualTo(24);
        await Assert.That(duplicates.All(d => d.Data.GetProperty("order_no").GetString() == orderNo)).IsTrue();
        var debits = server.Get<ICreditService>().Transactions(client.MerchantId, new TransactionQuery { Type = LedgerTypes.Order });
        await Assert.That(debits.Total).IsEqualTo(1);
        await Assert.That(server.Get<ICreditService>().Summary(client.MerchantId).Balance)
            .IsEqualTo(10_000_000 + debits.Items[0].Amount);
    }
}
