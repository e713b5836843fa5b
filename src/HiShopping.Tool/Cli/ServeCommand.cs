using System.CommandLine;
using HiShopping.Api;
using HiShopping.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop serve</c>: the Web API on Kestrel over the store in the data directory.</summary>
public static class ServeCommand
{
    public static Command Build(Func<string, string?> env)
    {
        var urls = new Option<string?>("--urls") { Description = $"Address to listen on (default {ApiSettings.DefaultUrls}; env HISHOP_URLS)" };
        var captcha = new Option<string?>("--captcha") { Description = "Login captcha policy: adaptive (default), always or off (env HISHOP_CAPTCHA)" };
        var command = new Command("serve", "Serve the Web API (/api/v1/web) and the signed Open API (/api/v1/open) over the store") { urls, captcha };
        HishopCli.Handle(command, env, async context =>
        {
            var store = context.StoreOptions;
            var settings = context.Config.Api(store.DataDir, context.Value(urls), context.Value(captcha));
            await using var app = HiShoppingApi.Build(store, settings);
            var init = app.Services.GetRequiredService<IStoreInitializer>().Initialize();

            await app.StartAsync();
            var o = context.Out;
            await o.WriteLineAsync($"HiShopping {ApiInfo.Version} listening on {string.Join(", ", app.Urls)}");
            await o.WriteLineAsync($"data directory: {store.DataDir}");
            await o.WriteLineAsync($"database: {store.DbPath}");
            if (init.AppliedMigrations.Count > 0) await o.WriteLineAsync($"migrations applied: {string.Join(", ", init.AppliedMigrations)}");
            if (init.DemoCatalogSeeded) await o.WriteLineAsync("demo catalog seeded");
            if (init.OperatorPassword is not null)
            {
                await o.WriteLineAsync("operator account created; the password is shown only now:");
                await o.WriteLineAsync($"  email:    {init.OperatorEmail}");
                await o.WriteLineAsync($"  password: {init.OperatorPassword}");
                await o.WriteLineAsync("  (replace it with: hishop user reset-password --email " + init.OperatorEmail + ")");
            }
            await o.WriteLineAsync("press Ctrl+C to stop");
            await o.FlushAsync();
            await app.WaitForShutdownAsync();
            return HishopCli.Ok;
        });
        return command;
    }
}
