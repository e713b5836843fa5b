using HiShopping.Api.Auth;
using HiShopping.Tool.Cli;

namespace HiShopping.Tool.Tests.Cli;

public sealed class ToolConfigTests
{
    [Test]
    public async Task The_data_directory_comes_from_the_flag_then_the_environment_then_xdg_then_home()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/ada" };
        var config = new ToolConfig(n => env.GetValueOrDefault(n));
        await Assert.That(config.DataDir(null)).IsEqualTo("/home/ada/.local/share/hishopping");

        env["XDG_DATA_HOME"] = "/xdg";
        await Assert.That(config.DataDir(null)).IsEqualTo("/xdg/hishopping");

        env["HISHOP_DATA_DIR"] = "/srv/hishop";
        await Assert.That(config.DataDir(null)).IsEqualTo("/srv/hishop");
        await Assert.That(config.DataDir("/flag/dir")).IsEqualTo("/flag/dir");
    }

    [Test]
    public async Task Settings_come_from_flags_then_environment_then_hishop_json_then_defaults()
    {
        var dir = Directory.CreateTempSubdirectory("hishop-config-").FullName;
        var env = new Dictionary<string, string>();
        var config = new ToolConfig(n => env.GetValueOrDefault(n));

        var defaults = config.Api(dir, null, null);
        await Assert.That(defaults.Urls).IsEqualTo("http://127.0.0.1:5080");
        await Assert.That(defaults.CaptchaPolicy).IsEqualTo(CaptchaPolicy.Adaptive);

        await File.WriteAllTextAsync(Path.Combine(dir, "hishop.json"), """{"urls": "http://127.0.0.1:6000", "captcha": "always", "db": "other.db"}""");
        var fromFile = config.Api(dir, null, null);
        await Assert.That(fromFile.Urls).IsEqualTo("http://127.0.0.1:6000");
        await Assert.That(fromFile.CaptchaPolicy).IsEqualTo(CaptchaPolicy.Always);
        await Assert.That(config.Store(dir, null).DbPath).IsEqualTo(Path.Combine(dir, "other.db"));

        env["HISHOP_URLS"] = "http://127.0.0.1:7000";
        env["HISHOP_CAPTCHA"] = "off";
        var fromEnv = config.Api(dir, null, null);
        await Assert.That(fromEnv.Urls).IsEqualTo("http://127.0.0.1:7000");
        await Assert.That(fromEnv.CaptchaPolicy).IsEqualTo(CaptchaPolicy.Off);

        var fromFlags = config.Api(dir, "http://127.0.0.1:8000", "adaptive");
        await Assert.That(fromFlags.Urls).IsEqualTo("http://127.0.0.1:8000");
        await Assert.That(fromFlags.CaptchaPolicy).IsEqualTo(CaptchaPolicy.Adaptive);

        await Assert.That(() => config.Api(dir, null, "sometimes")).Throws<UsageException>();
        Directory.Delete(dir, true);
    }

    [Test]
    public async Task Serve_with_a_bad_captcha_policy_exits_2_with_one_line()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("serve", "--captcha", "sometimes", "--urls", "http://127.0.0.1:0");
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(result.Err).Contains("captcha");
    }
}
