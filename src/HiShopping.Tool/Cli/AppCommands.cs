using System.CommandLine;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop app disable|enable</c>: stop or allow a merchant's integration (Open API answers 1003 while disabled).</summary>
public static class AppCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var app = new Command("app", "Disable or enable a merchant's app (its Open API access)");
        app.Subcommands.Add(Status("disable", "disabled", env));
        app.Subcommands.Add(Status("enable", "active", env));
        return app;
    }

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
