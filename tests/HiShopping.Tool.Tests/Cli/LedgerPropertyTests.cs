using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>
/// A seeded random walk over the ledger: top-ups, adjustments, orders, cancels, status moves, limit changes and
/// reads across several merchants. After every step every invariant of SPEC §5 holds; at the end `hishop db check` agrees.
/// </summary>
public sealed class LedgerPropertyTests
{
    [Test]
    [Arguments(20261128)]
    [Arguments(7)]
    [Arguments(424242)]
    public async Task Every_invariant_holds_after_every_step_of_a_random_walk(int seed)
    {
        using var cli = new CliRunner(seeded: true);
        var random = new Random(seed);
        var accounts = cli.Get<IAccountService>();
        var merchants = cli.Get<IMerchantService>();
        var credit = cli.Get<ICreditService>();
        var orders = cli.Get<IOrderService>();
        var auditor = cli.Get<ILedgerAuditor>();
        var skus = new[] { "sku-100001", "sku-100002", "sku-100013", "sku-100020", "sku-100031", "sku-100040" };

        var ids = Enumerable.Range(0, 4).Select(i =>
        {
            var user = accounts.Create($"walk-{seed}-{i}@example.com", "password-123", Roles.Merchant);
            return merchants.Create(user.Id, new MerchantProfileInput { CompanyName = $"Walker {i}" }).Id;
        }).ToList();
        var placed = new List<string>();
        var expected = ids.ToDictionary(id => id, _ => 0L);

        for (var step = 0; step < 250; step++)
        {
            var merchant = ids[random.Next(ids.Count)];
            var op = random.Next(100);
            try
            {
                switch (op)
                {
                    case < 20:
                        var amount = random.Next(1, 50_000);
                        credit.TopUp(merchant, amount, $"step {step}", null);
                        expected[merchant] += amount;
                        break;
                    case < 30:
                        var delta = random.Next(-20_000, 20_000);
                        if (delta == 0) break;
                        credit.Adjust(merchant, delta, $"step {step}", null);
                        expected[merchant] += delta;
                        break;
                    case < 65:
                        var result = orders.Place(merchant, new PlaceOrderInput
                        {
                            MerchantOrderNo = random.Next(10) == 0 && placed.Count > 0 ? $"S{seed}-{random.Next(step)}" : $"S{seed}-{step}",
                            Items = [new OrderLine(skus[random.Next(skus.Length)], random.Next(1, 4))],
                            Shipping = new ShippingAddress { Name = "W", Phone = "1", Country = "US", State = "NY", City = "NYC", Address1 = "5th Ave", PostalCode = "10001" },
                        });
                        placed.Add(result.Detail.Order.OrderNo);
                        expected[merchant] -= result.Detail.Order.TotalAmount;
                        break;
                    case < 80 when placed.Count > 0:
                        var no = placed[random.Next(placed.Count)];
                        var order = orders.Get(no)!;
                        var cancelled = orders.Cancel(no, random.Next(5) == 0 ? ids[random.Next(ids.Count)] : order.Order.MerchantId, "walk");
                        expected[cancelled.Order.MerchantId] += cancelled.Order.TotalAmount;
                        break;
                    case < 88 when placed.Count > 0:
                        var move = placed[random.Next(placed.Count)];
                        switch (random.Next(3))
                        {
                            case 0: orders.Process(move); break;
                            case 1: orders.Ship(move, "DHL", $"T{step}"); break;
                            default: orders.Deliver(move); break;
                        }
                        break;
                    case < 95:
                        credit.SetLimit(merchant, random.Next(0, 30_000));
                        break;
                    default:
                        credit.Transactions(merchant, new TransactionQuery { Page = 1 + random.Next(3) });
                        credit.Summary(merchant);
                        break;
                }
            }
            catch (HiShopException e) when (e.Code is ErrorCode.InsufficientCredit or ErrorCode.DuplicateOrder or ErrorCode.OrderStatusConflict
                                                 or ErrorCode.NotFound or ErrorCode.GoodsUnavailable or ErrorCode.InvalidRequest)
            {
                // Refused operations are part of the walk; they must leave no trace, which the audit below checks.
            }

            var report = auditor.Check(fileIntegrity: false);
            if (!report.Ok)
                throw new InvalidOperationException($"seed {seed}, step {step}: {string.Join("; ", report.Violations)}");
            foreach (var id in ids)
            {
                var balance = credit.Summary(id).Balance;
                if (balance != expected[id])
                    throw new InvalidOperationException($"seed {seed}, step {step}: merchant {id} balance {balance}, expected {expected[id]}");
            }
        }

        await Assert.That(placed.Count).IsGreaterThan(20);
        var check = await cli.RunAsync("db", "check");
        await Assert.That(check.ExitCode).IsEqualTo(0);
        await Assert.That(check.Out).Contains("ledger violations: 0");
    }
}
