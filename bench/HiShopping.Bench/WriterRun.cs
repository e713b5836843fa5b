using System.Diagnostics;
using System.Globalization;
using HiShopping.Api;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Bench;

/// <summary>
/// bench writer DATA_DIR SKU CONCURRENCY SECONDS: orders placed straight through the Store's services (no HTTP), to
/// see what the group-commit writer alone sustains on this machine.
/// </summary>
public static class WriterRun
{
    /// <summary>The store of a data directory; PostgreSQL when HISHOP_DB holds a connection string (bench/orders.sh --db).</summary>
    private static StoreOptions Store(string dataDir) =>
        Environment.GetEnvironmentVariable("HISHOP_DB") is { } db && StoreOptions.IsConnectionString(db)
            ? new StoreOptions { DataDir = dataDir, ConnectionString = db }
            : new StoreOptions { DataDir = dataDir };

    public static async Task<int> RunAsync(string dataDir, string sku, int concurrency, double seconds)
    {
        await using var services = new ServiceCollection().AddHiShoppingDomain(Store(dataDir)).BuildServiceProvider();
        var orders = services.GetRequiredService<IOrderService>();
        var merchant = services.GetRequiredService<IMerchantService>().List(new MerchantQuery()).Items[0].MerchantId;
        var shipping = new ShippingAddress { Name = "Bench", Phone = "+1 555 0100", Country = "US", State = "CA", City = "SF", Address1 = "1 Market St", PostalCode = "94105" };
        var run = Guid.NewGuid().ToString("N")[..8];
        long next = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var latencies = new List<long>[concurrency];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(100_000);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var n = Interlocked.Increment(ref next);
                var start = Stopwatch.GetTimestamp();
                await orders.PlaceAsync(merchant, new PlaceOrderInput { MerchantOrderNo = $"W{run}-{n}", Items = [new OrderLine(sku, 1)], Shipping = shipping },
                    new RequestNonce("bench", $"w{run}{n}", TimeSpan.FromMinutes(11)));
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(double p) => all[Math.Clamp((int)Math.Ceiling(p / 100 * all.Length) - 1, 0, all.Length - 1)] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {"orders through the writer alone",-34} | {concurrency,5} | {all.Length / elapsed,9:N0} | {Ms(50),7:F1} | {Ms(99),7:F1} | {0,7} | {0,7} | {all.Length,9} |"));
        return 0;
    }

    /// <summary>
    /// bench topups DATA_DIR EMAIL COUNT: from a process of its own, as the CLI would, COUNT top-ups of 0.01 a quarter
    /// of a second apart next to a busy serve; prints the slowest and the median in ms (process start-up excluded).
    /// </summary>
    public static async Task<int> TopUpsAsync(string dataDir, string email, int count)
    {
        await using var services = new ServiceCollection().AddHiShoppingDomain(Store(dataDir)).BuildServiceProvider();
        var merchant = services.GetRequiredService<IMerchantService>().List(new MerchantQuery { Keyword = email }).Items.Single().MerchantId;
        var credit = services.GetRequiredService<ICreditService>();
        var took = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            credit.TopUp(merchant, 1, "probe next to a busy serve", null);
            took.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(250);
        }
        took.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{took[^1]:F0} {took[took.Count / 2]:F0}"));
        return 0;
    }
}
