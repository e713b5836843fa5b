using System.Collections.Concurrent;
using HiShopping.Api;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Tool.Tests.Cli;

public sealed class BackupTests
{
    [Test, Category(TestData.SqliteFile)]
    public async Task A_backup_taken_while_orders_are_placed_opens_passes_check_and_holds_every_order_acknowledged_before_it()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var merchant = cli.Get<IMerchantService>().Resolve("demo@hishop.local");
        cli.Get<ICreditService>().TopUp(merchant.Id, 100_000_000, null, null);
        var orders = cli.Get<IOrderService>();
        var acknowledged = new ConcurrentQueue<string>();
        var thirty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var placed = orders.Place(merchant.Id, new PlaceOrderInput
                {
                    MerchantOrderNo = $"BK-{i}", Items = [new OrderLine("sku-100001", 1)],
                    Shipping = new ShippingAddress { Name = "B", Phone = "1", Country = "US", State = "CA", City = "LA", Address1 = "1 St", PostalCode = "9" },
                });
                acknowledged.Enqueue(placed.Detail.Order.OrderNo);
                if (acknowledged.Count >= 30) thirty.TrySetResult();
                if (i % 3 == 0) orders.Cancel(placed.Detail.Order.OrderNo, merchant.Id, "churn");
            }
        });
        await thirty.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var before = acknowledged.ToArray();
        var target = Path.Combine(Path.GetTempPath(), $"hishop-backup-{Guid.NewGuid():N}.db");
        var backup = await cli.RunAsync("db", "backup", target);
        await stop.CancelAsync();
        await writer;

        await Assert.That(backup.ExitCode).IsEqualTo(0);
        await Assert.That(acknowledged.Count).IsGreaterThan(before.Length);
        using var restored = new CliRunner();
        // A backup is checked next to the master key it was made with (the key check in the database insists).
        Directory.CreateDirectory(restored.DataDir);
        File.Copy(Path.Combine(cli.DataDir, "master.key"), Path.Combine(restored.DataDir, "master.key"));
        var check = await restored.RunAsync("db", "check", "--db", target);
        await Assert.That(check.ExitCode).IsEqualTo(0);
        await Assert.That(check.Out).Contains("integrity: ok");
        using var services = new ServiceCollection().AddHiShoppingDomain(new StoreOptions { DataDir = restored.DataDir, DatabasePath = target }).BuildServiceProvider();
        var restoredOrders = services.GetRequiredService<IOrderService>();
        var missing = before.Where(no => restoredOrders.Get(no) is null).ToList();
        await Assert.That(missing).IsEmpty();
        File.Delete(target);
    }

    [Test]
    public async Task Backup_refuses_to_overwrite_and_to_write_into_a_missing_folder()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "x@example.com", "--password", "password-123");
        var existing = Path.GetTempFileName();

        var overwrite = await cli.RunAsync("db", "backup", existing);
        var nowhere = await cli.RunAsync("db", "backup", "/no/such/folder/backup.db");

        await Assert.That(overwrite.ExitCode).IsEqualTo(2);
        await Assert.That(overwrite.ErrLines.Length).IsEqualTo(1);
        await Assert.That(new FileInfo(existing).Length).IsEqualTo(0);
        await Assert.That(nowhere.ExitCode).IsEqualTo(2);
        File.Delete(existing);
    }
}
