using HiShopping.Store;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Store.Tests;

/// <summary>A real SQLite file in its own temporary data directory, with the store's composition root over it.</summary>
public sealed class TestStore : IDisposable
{
    private readonly ServiceProvider _services;

    public TestStore(bool seedDemoCatalog = false, TimeProvider? clock = null)
    {
        Options = new StoreOptions { DataDir = Path.Combine(Path.GetTempPath(), "hishop-store-" + Guid.NewGuid().ToString("N")) };
        var services = new ServiceCollection();
        if (clock is not null) services.AddSingleton(clock);
        _services = services.AddHiShoppingStore(Options).BuildServiceProvider();
        Init = Get<IStoreInitializer>().Initialize(seedDemoCatalog, createOperator: false);
    }

    public StoreOptions Options { get; }
    public InitResult Init { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Options.DataDir, recursive: true); } catch (IOException) { }
    }
}
