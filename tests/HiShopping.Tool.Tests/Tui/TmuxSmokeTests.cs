using System.Diagnostics;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>
/// The real binary in a real terminal: tmux runs <c>hishop console</c>, keys go in with send-keys, the screen comes
/// back with capture-pane. The binary is $HISHOP_BIN when set (CI points it at the installed tool), else the built one.
/// </summary>
[ParallelLimiter<ProcessLimit>]
public sealed class TmuxSmokeTests
{
    private static string Command()
    {
        var installed = Environment.GetEnvironmentVariable("HISHOP_BIN");
        return string.IsNullOrEmpty(installed) ? $"dotnet {Path.Combine(AppContext.BaseDirectory, "hishop.dll")}" : installed;
    }

    private static async Task<string> TmuxAsync(params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        // This test process runs headless views too (DisableRealDriverIO=1); the terminal under tmux must be real.
        info.Environment.Remove("DisableRealDriverIO");
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("tmux could not be started");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {error}");
        return output;
    }

    private sealed class Pane(string session)
    {
        public Task SendAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", session, .. keys]);

        public Task<string> CaptureAsync() => TmuxAsync("capture-pane", "-p", "-t", session);

        public Task<string> WaitForAsync(string text) =>
            Poll.UntilAsync(CaptureAsync, screen => screen.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(30), $"the pane showing \"{text}\"");

        /// <summary>Alt+number jumps to a screen from anywhere: one key, nothing for the terminal to mistake.</summary>
        public async Task<string> ScreenAsync(char number, string expect)
        {
            await SendAsync("M-" + number);
            return await WaitForAsync(expect);
        }
    }

    private static async Task WalkAsync(ConsoleStore store, string consoleArgs)
    {
        var session = "hishop-" + Guid.NewGuid().ToString("N")[..8];
        var marker = Path.Combine(Path.GetTempPath(), session + ".exit");
        var sttyBefore = Path.Combine(Path.GetTempPath(), session + ".stty1");
        var sttyAfter = Path.Combine(Path.GetTempPath(), session + ".stty2");
        // Each file appears whole (written aside, then renamed): the test reads them as soon as they exist.
        var script = $"stty -g > {sttyBefore}; env -u DisableRealDriverIO {Command()} console {consoleArgs}; echo $? > {marker}.tmp; " +
                     $"stty -g > {sttyAfter}.tmp; mv {sttyAfter}.tmp {sttyAfter}; mv {marker}.tmp {marker}; sleep 30";
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "100", "-y", "30", script);
        try
        {
            var pane = new Pane(session);
            await pane.WaitForAsync("Sign in");
            await pane.SendAsync("-l", ConsoleStore.Merchant);
            await pane.SendAsync("Tab");
            await pane.SendAsync("-l", ConsoleStore.Password);
            await pane.SendAsync("Enter");

            var credit = store.Cli.Get<ICreditService>();
            var overview = await pane.WaitForAsync(HiShopping.Tool.Tui.Ui.Money(credit.Summary(store.MerchantId).Balance));
            await Assert.That(overview).Contains("Credit Status");
            var reference = credit.Transactions(store.MerchantId, new TransactionQuery()).Items[0].ReferenceNo;
            await pane.ScreenAsync('2', reference);
            await pane.ScreenAsync('3', store.Cli.Get<IAppService>().GetForMerchant(store.MerchantId).MaskedApiKey!);
            await pane.ScreenAsync('4', "Console Shop");
            var title = store.Cli.Get<HiShopping.Store.Catalog.ICatalogService>().ListGoods(new() { PageSize = 1 }).Items[0].Title;
            await pane.ScreenAsync('5', title[..16]);
            await pane.ScreenAsync('6', store.OrderNo);
            await pane.ScreenAsync('7', "API DOCUMENTATION");

            await pane.SendAsync("C-q");
            await Poll.UntilAsync(() => File.Exists(marker) && File.Exists(sttyAfter), TimeSpan.FromSeconds(20), "the console's exit");
            await Assert.That((await File.ReadAllTextAsync(marker)).Trim()).IsEqualTo("0");
            // The terminal is back as it was: same line settings, and the dashboard is gone from the screen.
            await Assert.That((await File.ReadAllTextAsync(sttyAfter)).Trim()).IsEqualTo((await File.ReadAllTextAsync(sttyBefore)).Trim());
            await Assert.That(await pane.CaptureAsync()).DoesNotContain("Ctrl+Q");
        }
        finally
        {
            try { await TmuxAsync("kill-session", "-t", session); } catch (InvalidOperationException) { }
            foreach (var f in new[] { marker, sttyBefore, sttyAfter, marker + ".tmp", sttyAfter + ".tmp" }) File.Delete(f);
        }
    }

    [Test]
    public async Task The_console_walks_every_merchant_screen_in_tmux_and_quits_cleanly()
    {
        using var store = await ConsoleStore.CreateAsync();
        await WalkAsync(store, $"--data-dir {store.Cli.DataDir}");
    }

    [Test]
    public async Task The_same_walk_works_in_remote_mode_against_serve_on_loopback()
    {
        using var store = await ConsoleStore.CreateAsync();
        var port = CliRunner.FreePort();
        await using var serve = await HishopProcess.StartServeAsync(store.Cli.DataDir, port);
        await WalkAsync(store, $"--server http://127.0.0.1:{port}");
    }
}
