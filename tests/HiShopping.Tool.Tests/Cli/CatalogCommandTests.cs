using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;

namespace HiShopping.Tool.Tests.Cli;

public sealed class CatalogCommandTests
{
    private static string Snapshot(CliRunner cli)
    {
        using var c = cli.Get<Db>().Open();
        return string.Join(",", c.Query<string>("SELECT COUNT(*) || ':' || COALESCE(MAX(updated_at), 0) || ':' || COALESCE(SUM(updated_at), 0) FROM goods")) + "|" +
               string.Join(",", c.Query<string>("SELECT COUNT(*) || ':' || COALESCE(SUM(updated_at), 0) || ':' || COALESCE(SUM(price), 0) FROM skus")) + "|" +
               string.Join(",", c.Query<string>("SELECT COUNT(*) || ':' || COALESCE(SUM(updated_at), 0) FROM categories"));
    }

    [Test]
    public async Task Thousands_of_goods_with_bad_records_land_the_good_ones_report_each_bad_one_and_exit_3_then_reimport_changes_nothing()
    {
        using var cli = new CliRunner();
        // 3,000 goods with 18,000 SKUs and ten bad records, two of each kind; 100,000 goods are bench/import-memory.sh's.
        var file = CatalogFiles.JsonLines(Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.jsonl"), goods: 3_000, skusPerGoods: 6, badEvery: 300);

        var result = await cli.RunAsync("catalog", "import", file.Path);

        await Assert.That(result.ExitCode).IsEqualTo(3);
        var rejected = result.ErrLines.Where(l => l.StartsWith("rejected ", StringComparison.Ordinal)).ToList();
        await Assert.That(rejected.Count).IsEqualTo(file.BadLines.Count);
        foreach (var (line, reason) in file.BadLines)
            await Assert.That(rejected.Any(r => r.StartsWith($"rejected line {line}: ", StringComparison.Ordinal) && r.Contains(reason))).IsTrue()
                .Because($"line {line} ({reason}) should be reported");
        var stats = cli.Get<ICatalogService>().Stats();
        await Assert.That(stats.Goods).IsEqualTo(file.GoodGoods);
        await Assert.That(stats.Skus).IsEqualTo(file.GoodSkus);
        await Assert.That(result.Out).Contains($"goods:      {file.GoodGoods:N0} new");

        var before = Snapshot(cli);
        var version = cli.Get<ICatalogService>().Version();
        var again = await cli.RunAsync("catalog", "import", file.Path);
        await Assert.That(again.ExitCode).IsEqualTo(3);
        await Assert.That(again.Out).Contains($"goods:      0 new, 0 updated, {file.GoodGoods:N0} unchanged");
        await Assert.That(Snapshot(cli)).IsEqualTo(before);
        await Assert.That(cli.Get<ICatalogService>().Version()).IsEqualTo(version);
        File.Delete(file.Path);
    }

    [Test]
    public async Task A_category_moved_under_its_own_subtree_is_refused_and_a_real_move_lands()
    {
        using var cli = new CliRunner();
        var first = Path.Combine(Path.GetTempPath(), $"tree-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(first, [
            """{"type":"category","category_id":"t-a","name":"A"}""",
            """{"type":"category","category_id":"t-b","parent_id":"t-a","name":"B"}""",
            """{"type":"category","category_id":"t-c","parent_id":"t-b","name":"C"}""",
        ]);
        await Assert.That((await cli.RunAsync("catalog", "import", first)).ExitCode).IsEqualTo(0);

        // Line 1 would close a → c → b → a; line 2 a loop of one file's own making (d under e, then e under d); line 4
        // moves b to the top and line 5 puts a under c, which is no longer above it.
        var second = Path.Combine(Path.GetTempPath(), $"tree-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(second, [
            """{"type":"category","category_id":"t-a","parent_id":"t-c","name":"A"}""",
            """{"type":"category","category_id":"t-d","name":"D"}""",
            """{"type":"category","category_id":"t-e","parent_id":"t-d","name":"E"}""",
            """{"type":"category","category_id":"t-d","parent_id":"t-e","name":"D"}""",
            """{"type":"category","category_id":"t-b","name":"B"}""",
            """{"type":"category","category_id":"t-a","parent_id":"t-c","name":"A"}""",
        ]);
        string[] loops =
        [
            "rejected line 1: parent_id t-c is inside category t-a: a category cannot be its own ancestor",
            "rejected line 4: parent_id t-e is inside category t-d: a category cannot be its own ancestor",
        ];
        List<string> Parents()
        {
            using var c = cli.Get<Db>().Open();
            return c.Query<(string Id, string? Parent)>("SELECT category_id, parent_id FROM categories WHERE category_id LIKE 't-%' ORDER BY category_id")
                .Select(r => $"{r.Id}<{r.Parent}").ToList();
        }

        // A dry run refuses the same records and writes nothing.
        var dry = await cli.RunAsync("catalog", "import", second, "--dry-run");
        await Assert.That(dry.ExitCode).IsEqualTo(3);
        await Assert.That(dry.ErrLines.Where(l => l.StartsWith("rejected ", StringComparison.Ordinal))).IsEquivalentTo(loops);
        await Assert.That(Parents()).IsEquivalentTo(["t-a<", "t-b<t-a", "t-c<t-b"], TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var result = await cli.RunAsync("catalog", "import", second);

        await Assert.That(result.ExitCode).IsEqualTo(3);
        await Assert.That(result.ErrLines.Where(l => l.StartsWith("rejected ", StringComparison.Ordinal))).IsEquivalentTo(loops);
        await Assert.That(Parents()).IsEquivalentTo(["t-a<t-c", "t-b<", "t-c<t-b", "t-d<", "t-e<t-d"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        File.Delete(first);
        File.Delete(second);
    }

    [Test]
    public async Task A_json_array_imports_too_and_dry_run_writes_nothing()
    {
        using var cli = new CliRunner();
        var lines = CatalogFiles.JsonLines(Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.jsonl"), goods: 50, skusPerGoods: 2, badEvery: 0, idPrefix: "arr");
        var array = lines.Path + ".json";
        await File.WriteAllTextAsync(array, "[\n" + string.Join(",\n", File.ReadAllLines(lines.Path)) + "\n]");

        var dry = await cli.RunAsync("catalog", "import", array, "--dry-run");
        await Assert.That(dry.ExitCode).IsEqualTo(0);
        await Assert.That(dry.Out).Contains("dry run");
        await Assert.That(cli.Get<ICatalogService>().Stats().Goods).IsEqualTo(0);

        var real = await cli.RunAsync("catalog", "import", array);
        await Assert.That(real.ExitCode).IsEqualTo(0);
        await Assert.That(cli.Get<ICatalogService>().Stats().Goods).IsEqualTo(50);
        File.Delete(lines.Path);
        File.Delete(array);
    }

    [Test]
    public async Task A_broken_array_keeps_what_came_before_and_says_where_it_stopped()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            [{"type":"category","category_id":"c1","name":"One"},
             {"type":"goods","goods_id":"g1","category_id":"c1","title":"Fine","skus":[{"sku_id":"s1","price":"1.00"}]},
             {"type":"goods","goods_id":"g2","category_id":"c1","title":"Bad price","skus":[{"sku_id":"s2","price":"-1"}]},
             {"type":"goods", oops
            """);

        var result = await cli.RunAsync("catalog", "import", path);

        await Assert.That(result.ExitCode).IsEqualTo(3);
        await Assert.That(result.Err).Contains("rejected record 3: skus[0].price");
        await Assert.That(result.Err).Contains("import stopped");
        await Assert.That(cli.Get<ICatalogService>().GetGoods("g1")).IsNotNull();
        File.Delete(path);
    }

    [Test]
    public async Task Export_then_import_into_a_fresh_store_then_export_gives_the_same_bytes()
    {
        using var first = new CliRunner();
        await first.RunAsync("demo");
        var one = Path.Combine(first.DataDir, "..", $"export-{Guid.NewGuid():N}-1.jsonl");
        var two = Path.Combine(first.DataDir, "..", $"export-{Guid.NewGuid():N}-2.jsonl");
        // Some variety the demo lacks: an inactive goods and a retired SKU.
        var writer = first.Get<ICatalogWriter>();
        var demo = HiShopping.Store.Demo.DemoCatalog.Goods();
        writer.UpsertGoods([demo[0] with { Status = "inactive" }, demo[1] with { Skus = [demo[1].Skus[^1]] }]);
        await Assert.That((await first.RunAsync("catalog", "export", "--out", one)).ExitCode).IsEqualTo(0);

        using var second = new CliRunner();
        var imported = await second.RunAsync("catalog", "import", one);
        await Assert.That(imported.ExitCode).IsEqualTo(0);
        await Assert.That((await second.RunAsync("catalog", "export", "--out", two)).ExitCode).IsEqualTo(0);

        var a = await File.ReadAllBytesAsync(one);
        var b = await File.ReadAllBytesAsync(two);
        await Assert.That(a.Length).IsGreaterThan(100_000);
        await Assert.That(a.SequenceEqual(b)).IsTrue();
        File.Delete(one);
        File.Delete(two);
    }

    [Test]
    public async Task Stats_counts_the_catalog()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var result = await cli.RunAsync("catalog", "stats", "--json");
        using var json = JsonDocument.Parse(result.Out);
        await Assert.That(json.RootElement.GetProperty("goods").GetInt64()).IsEqualTo(348);
        await Assert.That(json.RootElement.GetProperty("leaf_categories").GetInt64()).IsEqualTo(29);
        var text = await cli.RunAsync("catalog", "stats");
        await Assert.That(text.Out).Contains("348 (348 on sale)");
    }
}

[ParallelLimiter<ProcessLimit>]
public sealed class CatalogLiveTests
{
    [Test]
    public async Task A_running_serve_lists_newly_imported_goods_within_five_seconds()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "browse@example.com", "--password", "password-123");
        var port = CliRunner.FreePort();
        await using var serve = await HishopProcess.StartServeAsync(cli.DataDir, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var login = await (await http.PostAsJsonAsync("/api/v1/web/login", new { email = "browse@example.com", password = "password-123" })).Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.GetProperty("data").GetProperty("token").GetString());
        async Task<long> Count() => (await http.GetFromJsonAsync<JsonElement>("/api/v1/web/goods?keyword=Imported%20goods")).GetProperty("data").GetProperty("total").GetInt64();
        await Assert.That(await Count()).IsEqualTo(0); // cached now

        var file = CatalogFiles.JsonLines(Path.Combine(Path.GetTempPath(), $"live-{Guid.NewGuid():N}.jsonl"), goods: 30, skusPerGoods: 2, badEvery: 0, idPrefix: "live");
        await Assert.That((await cli.RunAsync("catalog", "import", file.Path)).ExitCode).IsEqualTo(0);

        // serve re-reads the catalog's version at most once a second: the other process's import shows within seconds.
        await Poll.UntilAsync(Count, seen => seen == 30, TimeSpan.FromSeconds(5), "the imported goods in serve's answers");
        File.Delete(file.Path);
    }
}
