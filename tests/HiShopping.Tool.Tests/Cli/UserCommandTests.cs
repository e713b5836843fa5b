using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

public sealed class UserCommandTests
{
    [Test]
    public async Task User_create_without_a_password_prints_a_generated_one_that_logs_in()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("user", "create", "--email", "shop@example.com");

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Out).Contains("created merchant shop@example.com");
        var password = result.Out.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Split(' ')[0];
        await Assert.That(password.Length).IsEqualTo(20);
        await Assert.That(cli.Get<IAccountService>().VerifyCredentials("shop@example.com", password).Role).IsEqualTo("merchant");
    }

    [Test]
    public async Task User_create_with_a_role_and_password_prints_no_password()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("user", "create", "--email", "ops@example.com", "--password", "operator-pass-1", "--role", "operator");

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Out).DoesNotContain("operator-pass-1");
        await Assert.That(cli.Get<IAccountService>().Find("ops@example.com")!.Role).IsEqualTo("operator");
    }

    [Test]
    [Arguments(new[] { "user", "create", "--email", "dup@example.com" }, 1)]
    [Arguments(new[] { "user", "create", "--email", "not-an-email" }, 2)]
    [Arguments(new[] { "user", "create", "--email", "new@example.com", "--password", "short" }, 2)]
    [Arguments(new[] { "user", "create", "--email", "new@example.com", "--role", "admin" }, 2)]
    [Arguments(new[] { "user", "create" }, 2)]
    [Arguments(new[] { "user", "disable", "--email", "ghost@example.com" }, 1)]
    [Arguments(new[] { "user", "enable", "--email", "ghost@example.com" }, 1)]
    [Arguments(new[] { "user" }, 2)]
    [Arguments(new[] { "user", "frobnicate" }, 2)]
    public async Task Bad_user_commands_exit_non_zero_with_one_line_and_change_nothing(string[] args, int exitCode)
    {
        using var cli = new CliRunner();
        (await cli.RunAsync("user", "create", "--email", "dup@example.com", "--password", "password-123")).ExitCode.ToString();
        var before = cli.Get<IAccountService>().List();

        var result = await cli.RunAsync(args);

        await Assert.That(result.ExitCode).IsEqualTo(exitCode);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(result.Err).StartsWith("error: ");
        var after = cli.Get<IAccountService>().List();
        await Assert.That(after.Count).IsEqualTo(before.Count);
        await Assert.That(after.Select(u => u.Status + u.TokenVersion)).IsEquivalentTo(before.Select(u => u.Status + u.TokenVersion));
    }

    [Test]
    public async Task Disable_and_enable_flip_the_status()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "flip@example.com", "--password", "password-123");

        var disabled = await cli.RunAsync("user", "disable", "--email", "FLIP@example.com");
        await Assert.That(disabled.ExitCode).IsEqualTo(0);
        await Assert.That(cli.Get<IAccountService>().Find("flip@example.com")!.Status).IsEqualTo("disabled");

        var enabled = await cli.RunAsync("user", "enable", "--email", "flip@example.com");
        await Assert.That(enabled.ExitCode).IsEqualTo(0);
        await Assert.That(cli.Get<IAccountService>().Find("flip@example.com")!.Status).IsEqualTo("active");
        var listed = await cli.RunAsync("user", "list");
        await Assert.That(listed.Out).Contains("flip@example.com");
    }

    [Test]
    public async Task Version_and_help_answer_without_a_data_directory()
    {
        using var cli = new CliRunner();
        var version = await cli.RunRawAsync("--version");
        await Assert.That(version.ExitCode).IsEqualTo(0);
        await Assert.That(version.Out.Trim()).Matches(@"^\d+\.\d+\.\d+");

        var help = await cli.RunRawAsync("--help");
        await Assert.That(help.ExitCode).IsEqualTo(0);
        foreach (var command in new[] { "serve", "user", "credit" })
            await Assert.That(help.Out).Contains(command);
        var topupHelp = await cli.RunRawAsync("credit", "topup", "--help");
        await Assert.That(topupHelp.Out).Contains("--amount");
        await Assert.That(TestData.NothingCreated(cli.DataDir)).IsTrue();
    }
}
