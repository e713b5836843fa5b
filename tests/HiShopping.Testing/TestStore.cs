using HiShopping.Api;
using HiShopping.Store;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Testing;

/// <summary>A real SQLite file in its own temporary data directory, with the store's composition root over it.</summary>
public sealed class TestStore : IDisposable
{
    private readonly ServiceProvider _services;

    public TestStore(bool seedDemoCatalog = false, TimeProvider? clock = null)
    {
        Options = TestData.Options(TestData.NewDataDir("store", seedDemoCatalog));
        var services = new ServiceCollection();
        if (clock is not null) services.AddSingleton(clock);
        _services = services.AddHiShoppingDomain(Options).BuildServiceProvider();
        Init = Get<IStoreInitializer>().Initialize(seedDemoCatalog, createOperator: false);
    }

    public StoreOptions Options { get; }
    public InitResult Init { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose()
    {
        _services.Dispose();
        TestData.Delete(Options.DataDir);
    }
}
