using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scrutor;

namespace HiShopping.Store;

public static class ServiceCollectionExtensions
{
    /// <summary>The one composition root of the domain, used by <c>serve</c>, the console and the CLI alike.</summary>
    public static IServiceCollection AddHiShoppingStore(this IServiceCollection services, StoreOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<Db>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<SecretBox>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<Webhooks.Outbox>();

        // Every service class next to its I<Name> interface; a second registration of one is a bug, so it throws.
        services.Scan(scan => scan
            .FromAssemblyOf<Db>()
            .AddClasses(classes => classes.Where(t => t.Namespace is not null && t != typeof(CachedCatalogService) && t != typeof(Services.CachedAppService)), publicOnly: true)
            .UsingRegistrationStrategy(RegistrationStrategy.Throw)
            .AsMatchingInterface()
            .WithSingletonLifetime());

        services.Decorate<ICatalogService, CachedCatalogService>();
        services.Decorate<Services.IAppService, Services.CachedAppService>();
        return services;
    }
}
