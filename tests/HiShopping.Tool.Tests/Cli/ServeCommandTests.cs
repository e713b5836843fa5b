using System.Net.Http.Json;
using System.Text.Json;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>The real <c>hishop serve</c> process on a loopback port.</summary>
[ParallelLimiter<ProcessLimit>]
public sealed class ServeCommandTests
{
    [Test]
    public async Task First_serve_sets_everything_up_and_a_second_start_reuses_it()
    {
        using var cli = new CliRunner();
        var port = CliRunner.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        string firstRun;
        await using (var serve = await HishopProcess.StartServeAsync(cli.DataDir, port))
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/healthz");
            await Assert.That(health.GetProperty("code").GetInt32()).IsEqualTo(0);
            firstRun = string.Join('\n', serve.Lines);
        }
        await Assert.That(firstRun).Contains("demo catalog seeded");
        await Assert.That(firstRun).Contains("password: ");
        foreach (var file in TestData.StoreFiles)
            await Assert.That(File.Exists(Path.Combine(cli.DataDir, file))).IsTrue();
        var goods = cli.Get<ICatalogService>().Stats().Goods;

        await using (var again = await HishopProcess.StartServeAsync(cli.DataDir, port))
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/healthz");
            await Assert.That(health.GetProperty("data").GetProperty("status").GetString()).IsEqualTo("ok");
            var secondRun = string.Join('\n', again.Lines);
            await Assert.That(secondRun).DoesNotContain("password: ");
            await Assert.That(secondRun).DoesNotContain("demo catalog seeded");
        }
        await Assert.That(cli.Get<IAccountService>().List().Count(u => u.Role == Roles.Operator)).IsEqualTo(1);
        await Assert.That(cli.Get<ICatalogService>().Stats().Goods).IsEqualTo(goods);
    }

    [Test]
    public async Task Cli_commands_work_while_serve_runs_on_the_same_data_directory()
    {
        using var cli = new CliRunner();
        var port = CliRunner.FreePort();
        await using var serve = await HishopProcess.StartServeAsync(cli.DataDir, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        (await cli.RunAsync("user", "create", "--email", "live@example.com", "--password", "password-123")).ExitCode.ToString();
        var login = await (await http.PostAsJsonAsync("/api/v1/web/login", new { email = "live@example.com", password = "password-123" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = login.GetProperty("data").GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await http.PostAsJsonAsync("/api/v1/web/merchant", new { company_name = "Live Shop" })).EnsureSuccessStatusCode();

        var topup = await cli.RunAsync("credit", "topup", "--merchant", "live@example.com", "--amount", "250.00");
        await Assert.That(topup.ExitCode).IsEqualTo(0);

        var credit = await http.GetFromJsonAsync<JsonElement>("/api/v1/web/credit");
        await Assert.That(credit.GetProperty("data").GetProperty("balance").GetString()).IsEqualTo("250.00");

        var disable = await cli.RunAsync("user", "disable", "--email", "live@example.com");
        await Assert.That(disable.ExitCode).IsEqualTo(0);
        using var refused = await http.GetAsync("/api/v1/web/credit");
        var after = await refused.Content.ReadFromJsonAsync<JsonElement>();
        await Assert.That(after.GetProperty("code").GetInt32()).IsEqualTo(4001);
    }
}
