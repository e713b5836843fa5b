using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>Issue 15, the findings on the command line and the real process.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecurityReviewCliTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Test]
    public async Task Db_check_fails_on_a_tampered_order_total()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var merchant = cli.Get<IMerchantService>().Resolve("demo@hishop.local");
        cli.Get<IOrderService>().Place(merchant.Id, new PlaceOrderInput
        {
            MerchantOrderNo = "T-1", Items = [new OrderLine("sku-100001", 1)],
            Shipping = new ShippingAddress { Name = "A", Phone = "1", Country = "US", State = "CA", City = "LA", Address1 = "1 St", PostalCode = "9" },
        });
        await Assert.That((await cli.RunAsync("db", "check")).ExitCode).IsEqualTo(0);

        using (var c = cli.Get<Db>().Open()) c.Execute("UPDATE orders SET total_amount = 2");

        var check = await cli.RunAsync("db", "check");
        await Assert.That(check.ExitCode).IsEqualTo(1);
        await Assert.That(check.Err).Contains("is not goods");
        await Assert.That(check.Out).Contains("FAILED");
    }

    [Test]
    public async Task A_missing_master_key_is_refused_and_nothing_is_made_in_its_place()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo"); // a merchant with a sealed sign key
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var keyPath = Path.Combine(cli.DataDir, "master.key");
        File.Delete(keyPath);

        var serve = await HishopProcess.RunToExitAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{CliRunner.FreePort()}"]);
        await Assert.That(serve.ExitCode).IsEqualTo(1);
        await Assert.That(serve.ErrLines.Length).IsEqualTo(1);
        await Assert.That(serve.Err).Contains("master.key");
        await Assert.That(File.Exists(keyPath)).IsFalse();

        var check = await cli.RunAsync("db", "check");
        await Assert.That(check.ExitCode).IsEqualTo(1);
        await Assert.That(check.Err).Contains("master.key");
        await Assert.That(File.Exists(keyPath)).IsFalse();
    }

    [Test]
    public async Task The_master_key_of_another_store_is_refused()
    {
        using var cli = new CliRunner();
        using var other = new CliRunner();
        await cli.RunAsync("user", "list");
        await other.RunAsync("user", "list");
        File.Copy(Path.Combine(other.DataDir, "master.key"), Path.Combine(cli.DataDir, "master.key"), overwrite: true);

        var check = await cli.RunAsync("db", "check");
        await Assert.That(check.ExitCode).IsEqualTo(1);
        await Assert.That(check.Err).Contains("does not belong to the database");
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Files_and_the_data_directory_open_to_others_are_narrowed_and_said_so()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "list");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.SetUnixFileMode(Path.Combine(cli.DataDir, "hishop.db"), Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(Path.Combine(cli.DataDir, "master.key"), Private | UnixFileMode.OtherRead);
        File.SetUnixFileMode(cli.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var result = await cli.RunAsync("user", "list");

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.ErrLines.Count(l => l.StartsWith("warning: ", StringComparison.Ordinal))).IsEqualTo(3);
        await Assert.That(File.GetUnixFileMode(Path.Combine(cli.DataDir, "hishop.db"))).IsEqualTo(Private);
        await Assert.That(File.GetUnixFileMode(Path.Combine(cli.DataDir, "master.key"))).IsEqualTo(Private);
        await Assert.That(File.GetUnixFileMode(cli.DataDir)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_backup_is_private_from_its_first_byte()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var folder = Directory.CreateTempSubdirectory("hishop-bk-").FullName;
        var target = Path.Combine(folder, "backup.db");

        var backup = await cli.RunAsync("db", "backup", target);

        await Assert.That(backup.ExitCode).IsEqualTo(0);
        foreach (var file in Directory.GetFiles(folder))
            await Assert.That(File.GetUnixFileMode(file) & ~Private).IsEqualTo(UnixFileMode.None);
        Directory.Delete(folder, true);
    }

    [Test]
    public async Task Sign_reads_the_keys_from_the_environment_or_a_file_and_help_says_so()
    {
        using var cli = new CliRunner();
        const string SignKey = "sk_test_5b1f0c7e9a2d4e8f9c3b6a1d2e4f6a8b";
        string[] request = ["sign", "--app-id", "app_7f3a9c2e51b04d6e", "GET", "/api/v1/open/goods", "--query", "page=2&page_size=20&keyword=phone%20case",
            "--timestamp", "1767225600", "--nonce", "n0nce-0001"];
        const string Expected = "X-Signature: d681e87d5f90fa52bbe475231e4ad13cb743954c91a6726a07c1a695782a43fb";

        cli.Env["HISHOP_API_KEY"] = "hk_example";
        cli.Env["HISHOP_SIGN_KEY"] = SignKey;
        var fromEnv = await cli.RunAsync(request);
        await Assert.That(fromEnv.ExitCode).IsEqualTo(0);
        await Assert.That(fromEnv.Out).Contains(Expected);

        cli.Env.Remove("HISHOP_SIGN_KEY");
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, SignKey + "\n");
        var fromFile = await cli.RunAsync([.. request, "--sign-key-file", keyFile]);
        await Assert.That(fromFile.Out).Contains(Expected);
        File.Delete(keyFile);

        var none = await cli.RunAsync(request);
        await Assert.That(none.ExitCode).IsEqualTo(2);
        await Assert.That(none.Err).Contains("HISHOP_SIGN_KEY");

        var help = await cli.RunAsync("sign", "--help");
        await Assert.That(help.Out).Contains("HISHOP_SIGN_KEY");
        await Assert.That(help.Out).Contains("--sign-key-file");
    }

    [Test]
    public async Task A_record_over_one_mib_is_rejected_by_its_position_and_the_rest_lands()
    {
        using var cli = new CliRunner();
        var huge = new string('x', 3 * 1024 * 1024);
        var category = """{"type":"category","category_id":"c1","name":"One"}""";
        string Goods(string id, string title) => $$"""{"type":"goods","goods_id":"{{id}}","category_id":"c1","title":"{{title}}","skus":[{"sku_id":"s-{{id}}","price":"1.00"}]}""";

        var lines = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(lines, string.Join('\n', category, Goods("g1", "Before"), Goods("g2", huge), Goods("g3", "After")) + "\n");
        var fromLines = await cli.RunAsync("catalog", "import", lines);
        await Assert.That(fromLines.ExitCode).IsEqualTo(3);
        await Assert.That(fromLines.Err).Contains("line 3");
        await Assert.That(fromLines.Err).Contains("larger than 1 MiB");
        await Assert.That(cli.Get<ICatalogService>().GetGoods("g3")).IsNotNull();

        var array = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(array, "[" + string.Join(",\n", category, Goods("g4", "Before"), Goods("g5", huge), Goods("g6", "After \\\"quoted\\\" ]}")) + "]");
        var fromArray = await cli.RunAsync("catalog", "import", array);
        await Assert.That(fromArray.ExitCode).IsEqualTo(3);
        await Assert.That(fromArray.Err).Contains("record 3");
        await Assert.That(fromArray.Err).Contains("larger than 1 MiB");
        await Assert.That(cli.Get<ICatalogService>().GetGoods("g6")!.Title).IsEqualTo("After \"quoted\" ]}");
        File.Delete(lines);
        File.Delete(array);
    }

    [Test]
    [ParallelLimiter<ProcessLimit>]
    public async Task A_double_sigterm_stops_serve_cleanly()
    {
        using var cli = new CliRunner();
        // Before the fix the second SIGTERM ended the process with 143 (and sometimes an unhandled exception).
        {
            var port = CliRunner.FreePort();
            await using var serve = await HishopProcess.StartServeAsync(cli.DataDir, port);
            foreach (var _ in new[] { 1, 2 })
            {
                using var kill = Process.Start("kill", ["-TERM", serve.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await serve.Process.WaitForExitAsync(deadline.Token);
            await Assert.That(serve.Process.ExitCode).IsEqualTo(0);
            await Assert.That(string.Join('\n', serve.Lines)).DoesNotContain("Unhandled");
        }
    }

    [Test]
    [ParallelLimiter<ProcessLimit>]
    public async Task Connections_past_the_cap_are_refused_and_serve_answers_right_after_the_flood()
    {
        using var cli = new CliRunner();
        var port = CliRunner.FreePort();
        await using var serve = await HishopProcess.StartAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{port}", "--max-connections", "50"]);
        var flood = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 400; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                flood.Add(c);
            }
            // The 51st and later were accepted and closed at once: reading them ends without a byte.
            var last = flood[^1].GetStream();
            using var readDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await last.ReadAsync(new byte[1], readDeadline.Token);
            await Assert.That(read).IsEqualTo(0);
            await Assert.That(serve.Process.HasExited).IsFalse();
        }
        finally
        {
            foreach (var c in flood) c.Dispose();
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        async Task<int?> HealthCode()
        {
            try { return (await http.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("code").GetInt32(); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
        }
        await Poll.UntilAsync(HealthCode, code => code == 0, TimeSpan.FromSeconds(5), "/healthz answering after the flood");
    }
}
