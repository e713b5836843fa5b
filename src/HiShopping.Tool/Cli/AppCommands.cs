using System.CommandLine;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop app disable|enable|rate-limit</c>: stop or allow a merchant's integration (Open API answers 1003 while disabled), and set its rate limit.</summary>
public static class AppCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var app = new Command("app", "Disable or enable a merchant's app (its Open API access)");
        app.Subcommands.Add(Status("disable", "disabled", env));
        app.Subcommands.Add(Status("enable", "active", env));

        var who = MerchantCommands.MerchantOption();
        var rps = new Option<string>("--rps") { Description = $"Open API requests per second, 0 = unlimited (default {AppRateLimit.DefaultRps})", Required = true };
        var burst = new Option<string?>("--burst") { Description = "Requests the app may send at once before the rate applies (default 2 × rps)" };
        var limit = new Command("rate-limit", "Set a merchant app's Open API rate limit (past it: HTTP 429, code 4029, Retry-After)") { who, rps, burst };
        HishopCli.Handle(limit, env, c =>
        {
            var perSecond = Whole(c.Value(rps), "--rps");
            long? saved = c.Value(burst) is { } b ? Whole(b, "--burst") : null;
            var merchant = c.Merchants.Resolve(c.Value(who));
            var updated = c.Get<IAppService>().SetRateLimit(merchant.Id, perSecond, saved);
            c.Out.WriteLine($"app {updated.AppId} of {merchant.Email}: Open API rate limit {updated.RateLimit}");
            return HishopCli.Ok;
        });
        app.Subcommands.Add(limit);
        return app;
    }

    /// <summary>Reads a whole number; its range is the service's rule to check.</summary>
    private static long Whole(string text, string option) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{option} must be a whole number (got '{text}').");

    private static Command Status(string name, string status, Func<string, string?> env)
    {
        var who = MerchantCommands.MerchantOption();
        var command = new Command(name, $"{char.ToUpperInvariant(name[0])}{name[1..]} the merchant's app") { who };
        HishopCli.Handle(command, env, c =>
        {
            var merchant = c.Merchants.Resolve(c.Value(who));
            var updated = c.Get<IAppService>().SetStatus(merchant.Id, status);
            c.Out.WriteLine($"app {updated.AppId} of {merchant.Email} is now {updated.Status}");
            return HishopCli.Ok;
        });
        return command;
    }
}
