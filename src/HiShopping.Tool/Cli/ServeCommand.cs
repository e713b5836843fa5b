using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HiShopping.Api;
using HiShopping.Api.Hosting;
using HiShopping.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HiShopping.Tool.Cli;

/// <summary>
/// <c>hishop serve</c>: the Web API on Kestrel over the store in the data directory. Order of a start: every option
/// is checked, then the data directory (read only), then the listener is bound — and only then is anything created:
/// keys, database, demo catalog, the first operator. A start that fails leaves no operator whose password nobody saw.
/// </summary>
public static class ServeCommand
{
    public static Command Build(Func<string, string?> env)
    {
        var urls = new Option<string?>("--urls") { Description = $"Address(es) to listen on, ';'-separated (default {ApiSettings.DefaultUrls}; env HISHOP_URLS)" };
        var captcha = new Option<string?>("--captcha") { Description = "Login captcha policy: adaptive (default), always or off (env HISHOP_CAPTCHA)" };
        var cert = new Option<string?>("--cert") { Description = "TLS certificate for https:// URLs: a PEM file (with --cert-key) or a .pfx (env HISHOP_CERT)" };
        var certKey = new Option<string?>("--cert-key") { Description = "The PEM private key of --cert, mode 0600 (env HISHOP_CERT_KEY)" };
        var certPassword = new Option<string?>("--cert-password") { Description = "Password of a .pfx or an encrypted key (env HISHOP_CERT_PASSWORD)" };
        var proxy = new Option<string[]>("--trusted-proxy")
        {
            Description = "A reverse proxy (IP or CIDR) whose X-Forwarded-For/-Proto are believed; repeatable (env HISHOP_TRUSTED_PROXIES, comma-separated)",
            AllowMultipleArgumentsPerToken = false,
        };
        var cors = new Option<string[]>("--cors-origin") { Description = "A browser origin allowed to call the APIs, e.g. https://shop.example.com; repeatable (env HISHOP_CORS_ORIGINS)" };
        var accessLog = new Option<bool>("--access-log") { Description = "Print one line per request: time, client, method, path, status, ms, request id (env HISHOP_ACCESS_LOG=true)" };
        var maxConnections = new Option<string?>("--max-connections") { Description = $"Open connections at most; more are refused (default {ApiSettings.DefaultMaxConnections}; env HISHOP_MAX_CONNECTIONS)" };
        var allowPrivateWebhooks = new Option<bool>("--allow-private-webhooks")
        {
            Description = "Deliver webhooks to loopback and private addresses too, for local development (env HISHOP_ALLOW_PRIVATE_WEBHOOKS=true)",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Log more, and print the full error when the start fails" };
        var command = new Command("serve", "Serve the Web API (/api/v1/web) and the signed Open API (/api/v1/open) over the store")
        {
            urls, captcha, cert, certKey, certPassword, proxy, cors, accessLog, maxConnections, allowPrivateWebhooks, verbose,
        };
        HishopCli.Handle(command, env, async context =>
        {
            var store = context.StoreOptions with { PrimaryWriter = true, MapDatabase = true };
            var flags = new ServeFlags
            {
                Urls = context.Value(urls), Captcha = context.Value(captcha), Cert = context.Value(cert), CertKey = context.Value(certKey),
                CertPassword = context.Value(certPassword), TrustedProxies = context.Value(proxy) ?? [], CorsOrigins = context.Value(cors) ?? [],
                AccessLog = context.Value(accessLog), MaxConnections = context.Value(maxConnections),
                AllowPrivateWebhooks = context.Value(allowPrivateWebhooks), Verbose = context.Value(verbose),
            };
            try
            {
                return await RunAsync(context, store, flags);
            }
            catch (StartupException e)
            {
                await context.Err.WriteLineAsync($"error: {e.Message}");
                if (flags.Verbose && e.InnerException is not null) await context.Err.WriteLineAsync(e.InnerException.ToString());
                return HishopCli.Error;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, StoreOptions store, ServeFlags flags)
    {
        var settings = context.Config.Api(store.DataDir, flags);
        await using var app = HiShoppingApi.Build(store, settings);
        // Our own handlers for the whole run, not only while the host listens: a second SIGTERM (as `timeout` sends
        // it) arriving after the host has let go of its own would otherwise end the process with 143 mid-shutdown.
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            app.Lifetime.StopApplication();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
        var initializer = app.Services.GetRequiredService<IStoreInitializer>();
        initializer.Preflight();

        var readiness = app.Services.GetRequiredService<ServeReadiness>();
        readiness.Starting();
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new StartupException(BindError(e, settings.Urls), e);
        }

        InitResult init;
        try
        {
            init = initializer.Initialize();
        }
        catch (Exception e) when (e is StoreSetupException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            await app.StopAsync();
            throw new StartupException(e.Message, e);
        }
        try
        {
            // After the store is set up (the host's own start came before it, with no data directory yet on a first run).
            app.Services.GetRequiredService<HiShopping.Store.Catalog.ICatalogService>().PrepareSearch();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException)
        {
            await context.Err.WriteLineAsync($"warning: the goods were not loaded into memory now ({e.Message}); the first search loads them");
        }
        readiness.Ready();

        var o = context.Out;
        foreach (var warning in init.Warnings ?? []) await context.Err.WriteLineAsync($"warning: {warning}");
        if (store.PasswordIterations < HiShopping.Store.Security.PasswordHasher.ProductionIterations)
            await context.Err.WriteLineAsync($"warning: HISHOP_PASSWORD_ITERATIONS={store.PasswordIterations} makes new password hashes weaker than the default 600,000 (meant for tests only)");
        await o.WriteLineAsync($"HiShopping {ApiInfo.Version} listening on {string.Join(", ", app.Urls)}");
        await o.WriteLineAsync($"data directory: {store.DataDir}");
        await o.WriteLineAsync($"database: {store.Describe()}");
        if (init.AppliedMigrations.Count > 0) await o.WriteLineAsync($"migrations applied: {string.Join(", ", init.AppliedMigrations)}");
        if (init.DemoCatalogSeeded) await o.WriteLineAsync("demo catalog seeded");
        if (init.OperatorPassword is not null)
        {
            await o.WriteLineAsync(init.OperatorPasswordReplaced
                ? "operator account: an earlier start made it but stopped before showing its password; here is a new one, shown only now:"
                : "operator account created; the password is shown only now:");
            await o.WriteLineAsync($"  email:    {init.OperatorEmail}");
            await o.WriteLineAsync($"  password: {init.OperatorPassword}");
            await o.WriteLineAsync("  (replace it with: hishop user reset-password --email " + init.OperatorEmail + ")");
            await o.FlushAsync();
            initializer.OperatorPasswordShown();
        }
        if (settings.TrustedProxies.Count > 0) await o.WriteLineAsync($"trusted proxies: {string.Join(", ", settings.TrustedProxies)}");
        if (settings.CorsOrigins.Count > 0) await o.WriteLineAsync($"CORS origins: {string.Join(", ", settings.CorsOrigins)}");
        await o.WriteLineAsync("press Ctrl+C to stop");
        await o.FlushAsync();
        await app.WaitForShutdownAsync();
        return HishopCli.Ok;
    }

    /// <summary>Why the listener could not be bound, and what to do, in one line.</summary>
    internal static string BindError(Exception e, string urls)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not AddressInUseException && inner is not SocketException) inner = inner.InnerException;
        var address = AddressIn(e.Message) ?? urls;
        var port = Uri.TryCreate(address.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        return inner switch
        {
            AddressInUseException => $"port {port} is in use ({address}): stop what holds it, or pick another port with --urls",
            SocketException { SocketErrorCode: SocketError.AccessDenied } => $"not allowed to listen on {address}: ports below 1024 need root; pick a port above 1024 with --urls",
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => $"cannot listen on {address}: this machine has no such address; use 127.0.0.1 or 0.0.0.0 in --urls",
            SocketException s => $"cannot listen on {address}: {s.Message}",
            _ => $"cannot listen on {address}: {e.Message.TrimEnd('.')}",
        };
    }

    private static string? AddressIn(string message)
    {
        const string marker = "address ";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0) return null;
        start += marker.Length;
        var end = message.IndexOf(": ", start, StringComparison.Ordinal);
        return end > start ? message[start..end] : null;
    }
}
