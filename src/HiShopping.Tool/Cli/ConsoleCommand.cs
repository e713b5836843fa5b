using System.CommandLine;
using HiShopping.Store;
using HiShopping.Tool.Tui;
using HiShopping.Tool.Tui.Client;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop console</c>: the Terminal.Gui dashboard, over the data directory or over a running server.</summary>
public static class ConsoleCommand
{
    public static Command Build(Func<string, string?> env)
    {
        var server = new Option<string?>("--server") { Description = "Use the Web API of a running hishop serve at this URL instead of the data directory" };
        var tz = new Option<string?>("--tz") { Description = "Show times in this zone, e.g. Europe/Berlin (default: $HISHOP_TZ, tz in hishop.json, else the system's, from TZ)" };
        var large = new Option<string?>("--large-amount")
        {
            Description = "Top-ups and adjustments from this amount up are typed twice (default 100000.00; $HISHOP_LARGE_AMOUNT, large_amount in hishop.json)",
        };
        var command = new Command("console", "Open the dashboard for merchants and operators (Ctrl+Q quits, F1 lists the keys)") { server, tz, large };
        HishopCli.Handle(command, env, c =>
        {
            var zone = c.Config.TimeZone(c.Value(tz), c.Parse.GetValue(GlobalOptions.DataDir));
            var largeAmount = c.Config.LargeAmount(c.Value(large), c.Parse.GetValue(GlobalOptions.DataDir));
            if (System.Console.IsInputRedirected || System.Console.IsOutputRedirected)
                throw new UsageException("the console needs a terminal (standard input and output must not be redirected).");
            Ui.Zone = zone;
            Ui.LargeAmount = largeAmount;
            IConsoleClient client;
            if (c.Value(server) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    throw new UsageException($"--server must be an http(s) URL, e.g. http://127.0.0.1:5080 (got '{url}').");
                client = new RemoteConsoleClient(uri);
            }
            else
            {
                // The CLI's own container; the console shows goods, so an empty store gets the demo catalog as serve gives it.
                c.Get<IStoreInitializer>().Initialize(seedDemoCatalog: true, createOperator: false);
                client = new LocalConsoleClient(c.Services, c.StoreOptions.DataDir, new Uri(DemoCommand.ServerUrl(c)));
            }
            using (client) return ConsoleApp.Run(client, c.Err);
        });
        return command;
    }
}
