using System.CommandLine;
using HiShopping.Api;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Tool.Cli;

/// <summary>What a command's action gets: the parse result, the output writers and, on demand, the store.</summary>
public sealed class CliContext(ParseResult parse, ToolConfig config, TextWriter output, TextWriter error) : IDisposable
{
    private ServiceProvider? _services;

    public ParseResult Parse { get; } = parse;
    public ToolConfig Config { get; } = config;
    public TextWriter Out { get; } = output;
    public TextWriter Err { get; } = error;

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public StoreOptions StoreOptions => Config.Store(Parse.GetValue(GlobalOptions.DataDir), Parse.GetValue(GlobalOptions.Db));

    /// <summary>The store services over the data directory, migrated and ready (no demo catalog, no operator: that is serve's first run).</summary>
    public IServiceProvider Services
    {
        get
        {
            if (_services is not null) return _services;
            var services = new ServiceCollection().AddHiShoppingDomain(StoreOptions).BuildServiceProvider();
            _services = services;
            var init = services.GetRequiredService<IStoreInitializer>().Initialize(seedDemoCatalog: false, createOperator: false);
            foreach (var warning in init.Warnings ?? []) Err.WriteLine($"warning: {warning}");
            return services;
        }
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public IAccountService Accounts => Get<IAccountService>();
    public IMerchantService Merchants => Get<IMerchantService>();
    public ICreditService Credit => Get<ICreditService>();

    public void Dispose() => _services?.Dispose();
}

public static class GlobalOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Data directory (default: $HISHOP_DATA_DIR, else $XDG_DATA_HOME/hishopping, else ~/.local/share/hishopping)",
        Recursive = true,
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "SQLite database file (default: hishop.db in the data directory), or a PostgreSQL connection string: \"Host=…;Database=…;Username=…\"",
        Recursive = true,
    };
}
