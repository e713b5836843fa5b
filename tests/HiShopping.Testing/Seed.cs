using HiShopping.Store.Services;

namespace HiShopping.Testing;

public static class Seed
{
    public static (long MerchantId, long UserId) Merchant(TestStore store, string? email = null)
    {
        var user = store.Get<IAccountService>().Create(email ?? $"m-{Guid.NewGuid():N}@example.com", "password-123", Roles.Merchant);
        var merchant = store.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Test Co" });
        return (merchant.Id, user.Id);
    }

    public static PlaceOrderInput Order(string merchantOrderNo, string skuId = "sku-100001", long quantity = 1) => new()
    {
        MerchantOrderNo = merchantOrderNo,
        Items = [new OrderLine(skuId, quantity)],
        Shipping = new ShippingAddress
        {
            Name = "A", Phone = "1", Country = "US", State = "CA", City = "LA", Address1 = "1 Main St", PostalCode = "90001",
        },
    };
}
