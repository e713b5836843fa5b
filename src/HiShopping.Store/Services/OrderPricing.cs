namespace HiShopping.Store.Services;

/// <summary>How an order is priced: lines from the catalog, the fee from the merchant's rate, all in checked arithmetic.</summary>
internal static class OrderPricing
{
    /// <summary>
    /// Goods, fee and total of an order, in checked arithmetic and within <see cref="Money.MaxAmount"/>: an order of
    /// more than 1,000,000,000.00 of goods is refused (4000) before anything could overflow. The fee is
    /// round(goods × rate / 10000), half up.
    /// </summary>
    public static (long Goods, long Fee, long Total) Price(IReadOnlyList<OrderItem> lines, long feeRateBps)
    {
        if (feeRateBps is < 0 or > Rules.FeeRateMaxBps) throw new InvalidOperationException($"fee rate {feeRateBps} bps is outside 0–{Rules.FeeRateMaxBps}");
        long goods = 0;
        foreach (var line in lines)
        {
            goods = checked(goods + line.Amount);
            if (goods > Money.MaxAmount) throw TooLarge();
        }
        var fee = checked(goods * feeRateBps + 5_000) / 10_000;
        return (goods, fee, checked(goods + fee));
    }

    public static long LineAmount(long unitPrice, long quantity)
    {
        // Each factor is bounded (price ≤ 1,000,000,000.00, quantity ≤ 999), so the product cannot overflow; the cap is what refuses.
        var amount = checked(unitPrice * quantity);
        return amount > Money.MaxAmount ? throw TooLarge() : amount;
    }

    private static HiShopException TooLarge() =>
        HiShopException.Invalid("items", $"the goods of one order may come to at most {Money.Format(Money.MaxAmount)}.");
}
