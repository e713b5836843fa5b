using HiShopping.Store.Services;

namespace HiShopping.Testing;

public static class Fixtures
{
    public static ShippingAddress Shipping => new()
    {
        Name = "Zoë Åkesson", Phone = "+46 70 123 45 67", Country = "SE", State = "Stockholm", City = "Stockholm",
        Address1 = "Drottninggatan 1", PostalCode = "111 51",
    };

    public static PlaceOrderInput Order(string merchantOrderNo, string skuId = "sku-100001", long quantity = 1) => new()
    {
        MerchantOrderNo = merchantOrderNo,
        Items = [new OrderLine(skuId, quantity)],
        Shipping = Shipping,
    };
}
