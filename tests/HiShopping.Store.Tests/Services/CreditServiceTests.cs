using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

public sealed class CreditServiceTests
{
    [Test]
    public async Task A_topup_appends_an_entry_that_chains_from_the_last_and_records_the_operator()
    {
        using var store = new TestStore();
        var (merchantId, _) = Seed.Merchant(store);
        var op = store.Get<IAccountService>().Create("op@example.com", "password-123", Roles.Operator);
        var credit = store.Get<ICreditService>();

        var first = credit.TopUp(merchantId, 10_050, "wire 1", op.Id);
        var second = credit.TopUp(merchantId, 2_000, null, op.Id);

        await Assert.That(first.BalanceBefore).IsEqualTo(0);
        await Assert.That(first.BalanceAfter).IsEqualTo(10_050);
        await Assert.That(second.BalanceBefore).IsEqualTo(first.BalanceAfter);
        await Assert.That(second.BalanceAfter).IsEqualTo(12_050);
        await Assert.That(second.OperatorId).IsEqualTo(op.Id);
        await Assert.That(second.ReferenceNo).IsNotEqualTo(first.ReferenceNo);
        await Assert.That(credit.Summary(merchantId).Balance).IsEqualTo(12_050);
    }

    [Test]
    [Arguments(0L)]
    [Arguments(-1L)]
    [Arguments(100_000_000_001L)]
    public async Task A_topup_of_a_bad_amount_is_refused_and_writes_nothing(long amount)
    {
        using var store = new TestStore();
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();

        await Assert.That(() => credit.TopUp(merchantId, amount, null, null)).Throws<HiShopException>();
        await Assert.That(credit.Transactions(merchantId, new TransactionQuery()).Total).IsEqualTo(0);
    }

    [Test]
    public async Task An_adjustment_below_the_floor_is_2001_and_the_limit_must_cover_the_balance()
    {
        using var store = new TestStore();
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        credit.TopUp(merchantId, 1_000, null, null);
        credit.SetLimit(merchantId, 500);

        var error = await Assert.That(() => credit.Adjust(merchantId, -1_501, "too much", null)).Throws<HiShopException>();
        await Assert.That(error!.Code).IsEqualTo(ErrorCode.InsufficientCredit);
        credit.Adjust(merchantId, -1_500, "to the floor", null);
        await Assert.That(credit.Summary(merchantId).Available).IsEqualTo(0);
        await Assert.That(() => credit.SetLimit(merchantId, 499)).Throws<HiShopException>();
        await Assert.That(credit.Summary(merchantId).CreditLimit).IsEqualTo(500);
    }

    [Test]
    public async Task Utilization_is_consumed_over_credited_and_zero_when_nothing_was_credited()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        await Assert.That(credit.Summary(merchantId).Utilization).IsEqualTo(0m);

        credit.TopUp(merchantId, 100_000, null, null);
        var orders = store.Get<IOrderService>();
        var kept = orders.Place(merchantId, Seed.Order("U-1")).Detail.Order.TotalAmount;
        var cancelled = orders.Place(merchantId, Seed.Order("U-2")).Detail.Order.OrderNo;
        orders.Cancel(cancelled, merchantId, "changed mind");

        var summary = credit.Summary(merchantId);
        await Assert.That(summary.TotalConsumed).IsEqualTo(kept);
        await Assert.That(summary.TotalRefunded).IsGreaterThan(0);
        await Assert.That(summary.Utilization).IsEqualTo(Math.Round((decimal)kept / 100_000, 4));
    }
}
