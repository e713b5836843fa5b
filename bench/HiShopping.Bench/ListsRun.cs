using System.Diagnostics;
using System.Globalization;
using HiShopping.Api;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Bench;

/// <summary>
/// bench lists DATA_DIR ROUNDS: the operator's lists straight through the Store's services, as the CLI and the local
/// console call them — one request at a time, ROUNDS distinct requests per row (random pages, merchants, statuses,
/// cursors and ranges), so what a page change costs at this store's size. Prints Markdown rows: p50, p99, max in ms.
/// </summary>
public static class ListsRun
{
    public static int Run(string dataDir, int rounds)
    {
        using var services = new ServiceCollection().AddHiShoppingDomain(new StoreOptions { DataDir = dataDir }).BuildServiceProvider();
        var merchants = services.GetRequiredService<IMerchantService>();
        var orders = services.GetRequiredService<IOrderService>();
        var rng = new Random(9);
        var merchantTotal = merchants.List(new MerchantQuery()).Total;
        var all = orders.List(new OrderQuery { PageSize = 1 });
        var newest = all.Items[0].Id;
        var merchantIds = Enumerable.Range(0, rounds).Select(_ => merchants.List(new MerchantQuery
        {
            Page = rng.Next(1, (int)Math.Max(1, merchantTotal / Rules.MaxPageSize) + 1), PageSize = Rules.MaxPageSize,
        }).Items[rng.Next(0, 50)].MerchantId).ToArray();
        var sample = orders.List(new OrderQuery { Cursor = rng.NextInt64(Math.Max(2, newest / 2), newest + 1).ToString(CultureInfo.InvariantCulture), PageSize = Rules.MaxPageSize }).Items;
        var firstAt = orders.List(new OrderQuery { Cursor = "2", PageSize = 1 }).Items.FirstOrDefault()?.CreatedAt ?? 0;
        var lastAt = all.Items[0].CreatedAt;
        string Status() => OrderStatuses.All[rng.Next(OrderStatuses.All.Length)];

        Console.WriteLine($"store: {merchantTotal:N0} merchants, {(all.TotalIsEstimate ? "more than " : "")}{all.Total:N0} orders (newest id {newest:N0})");
        Console.WriteLine();
        Console.WriteLine("| list (one request at a time)              | requests |  p50 ms |  p99 ms |  max ms | rows/page |");
        Console.WriteLine("|-------------------------------------------|----------|---------|---------|---------|-----------|");
        Row("merchants, random page of 100", rounds, () => merchants.List(new MerchantQuery
        {
            Page = rng.Next(1, (int)(merchantTotal / Rules.MaxPageSize) + 1), PageSize = Rules.MaxPageSize,
        }).Items.Count);
        Row("merchants, keyword (an email part)", rounds, () => merchants.List(new MerchantQuery { Keyword = $"bench-{rng.Next(1, (int)merchantTotal)}@" }).Items.Count);
        Row("orders page 1", rounds, () => orders.List(new OrderQuery()).Items.Count);
        Row("orders, one status", rounds, () => orders.List(new OrderQuery { Status = Status() }).Items.Count);
        Row("orders, one merchant", rounds, () => orders.List(new OrderQuery { MerchantId = merchantIds[rng.Next(rounds)] }).Items.Count);
        Row("orders, one merchant + status", rounds, () => orders.List(new OrderQuery { MerchantId = merchantIds[rng.Next(rounds)], Status = Status() }).Items.Count);
        Row("orders, 3-day range", rounds, () =>
        {
            var from = firstAt + (long)(rng.NextDouble() * (lastAt - firstAt - 3 * 86_400_000L));
            return orders.List(new OrderQuery { From = from, To = from + 3 * 86_400_000L }).Items.Count;
        });
        Row("orders by cursor (keyset, anywhere)", rounds, () => orders.List(new OrderQuery { Cursor = rng.NextInt64(2, newest).ToString(CultureInfo.InvariantCulture) }).Items.Count);
        Row("orders, random page 1–5,000", rounds, () => orders.List(new OrderQuery { Page = rng.Next(1, 5001) }).Items.Count);
        Row("orders, keyword (an order no's start)", Math.Min(rounds, 50), () => orders.List(new OrderQuery { Keyword = sample[rng.Next(sample.Count)].OrderNo[..14] }).Items.Count);
        Row("orders, merchant + keyword (number start)", rounds, () =>
        {
            var o = sample[rng.Next(sample.Count)];
            return orders.List(new OrderQuery { MerchantId = o.MerchantId, Keyword = o.OrderNo[..14] }).Items.Count;
        });
        Row("orders, keyword = a whole day (HS + date)", Math.Min(rounds, 50), () => orders.List(new OrderQuery { Keyword = sample[rng.Next(sample.Count)].OrderNo[..10] }).Items.Count);
        Row("order detail (random order)", rounds, () => orders.Get(sample[rng.Next(sample.Count)].OrderNo) is null ? 0 : 1);
        return 0;
    }

    private static void Row(string label, int rounds, Func<int> request)
    {
        request(); // warm
        var took = new double[rounds];
        var rows = 0;
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            rows = request();
            took[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(took);
        double At(double p) => took[Math.Clamp((int)Math.Ceiling(p / 100 * took.Length) - 1, 0, took.Length - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label,-41} | {rounds,8} | {At(50),7:F2} | {At(99),7:F2} | {took[^1],7:F2} | {rows,9} |"));
    }
}
