using System.Data;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;

namespace HiShopping.Store.Services;

/// <summary>Orders: reads for both APIs and the console; placement, cancellation and the operator's status moves.</summary>
public interface IOrderService
{
    PageOf<OrderSummary> List(OrderQuery query);

    /// <summary>The order, or null; with <paramref name="merchantId"/> another merchant's order is null too.</summary>
    OrderDetail? Get(string orderNo, long? merchantId = null);

    PlacedOrder Place(long merchantId, PlaceOrderInput input);
    OrderDetail Cancel(string orderNo, long? merchantId, string? reason);
    OrderDetail Process(string orderNo);
    OrderDetail Ship(string orderNo, string carrier, string trackingNo);
    OrderDetail Deliver(string orderNo);
}

public sealed class OrderService(Db db, TimeProvider clock) : IOrderService
{
    private const string SelectOrder = """
        SELECT merchant_id AS MerchantId, order_no AS OrderNo, merchant_order_no AS MerchantOrderNo, status AS Status,
               goods_amount AS GoodsAmount, fee AS Fee, total_amount AS TotalAmount, currency AS Currency,
               item_count AS ItemCount, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM orders
        """;

    public PageOf<OrderSummary> List(OrderQuery query)
    {
        Validation.Check(v =>
        {
            query.CheckPaging(v);
            if (query.Status is not null && !OrderStatuses.All.Contains(query.Status)) v.Add("status", $"status must be one of: {string.Join(", ", OrderStatuses.All)}.");
            v.Length("keyword", query.Keyword, Rules.KeywordMax);
        });
        var where = new StringBuilder("WHERE 1 = 1");
        var args = new DynamicParameters(new { limit = query.PageSize, offset = query.Offset });
        if (query.MerchantId is { } m) { where.Append(" AND merchant_id = @merchantId"); args.Add("merchantId", m); }
        if (!string.IsNullOrEmpty(query.Status)) { where.Append(" AND status = @status"); args.Add("status", query.Status); }
        if (query.From is { } from) { where.Append(" AND created_at >= @from"); args.Add("from", from); }
        if (query.To is { } to) { where.Append(" AND created_at <= @to"); args.Add("to", to); }
        if (!string.IsNullOrEmpty(query.MerchantOrderNo)) { where.Append(" AND merchant_order_no = @mon"); args.Add("mon", query.MerchantOrderNo); }
        if (!string.IsNullOrWhiteSpace(query.Keyword))
        {
            where.Append(" AND (instr(order_no, @keyword) > 0 OR instr(merchant_order_no, @keyword) > 0)");
            args.Add("keyword", query.Keyword.Trim());
        }
        using var c = db.Open();
        var total = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM orders {where}", args);
        var items = c.Query<OrderSummary>($"{SelectOrder} {where} ORDER BY id DESC LIMIT @limit OFFSET @offset", args).AsList();
        return new PageOf<OrderSummary>(items, query.Page, query.PageSize, total);
    }

    public OrderDetail? Get(string orderNo, long? merchantId = null)
    {
        using var c = db.Open();
        return OrderLoader.Load(c, null, orderNo, merchantId);
    }

    public PlacedOrder Place(long merchantId, PlaceOrderInput input)
    {
        Validate(input);
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            const string Existing = "SELECT order_no AS OrderNo, status AS Status FROM orders WHERE merchant_id = @merchantId AND merchant_order_no = @mon";
            var existing = c.QuerySingleOrDefault<OrderNoStatus>(Existing, new { merchantId, mon = input.MerchantOrderNo }, t);
            if (existing is not null)
                throw new HiShopException(ErrorCode.DuplicateOrder, $"merchant_order_no {input.MerchantOrderNo} was already used by order {existing.OrderNo}.",
                    new OrderRef(existing.OrderNo, existing.Status));

            var feeRate = c.QuerySingle<long>("SELECT fee_rate_bps FROM merchants WHERE id = @merchantId", new { merchantId }, t);
            var lines = new List<OrderItem>();
            foreach (var group in input.Items.GroupBy(i => i.SkuId))
            {
                var quantity = group.Sum(i => i.Quantity);
                const string SkuSql = """
                    SELECT s.sku_id AS SkuId, s.goods_id AS GoodsId, g.title AS Title, s.spec AS SpecJson, s.price AS UnitPrice, s.stock AS Stock
                    FROM skus s JOIN goods g ON g.goods_id = s.goods_id
                    WHERE s.sku_id = @skuId AND s.status = 'active' AND g.status = 'active'
                    """;
                var sku = c.QuerySingleOrDefault<SkuForOrder>(SkuSql, new { skuId = group.Key }, t)
                    ?? throw new HiShopException(ErrorCode.GoodsUnavailable, $"SKU {group.Key} is unknown or not on sale.", new SkuUnavailable(group.Key, null));
                if (sku.Stock < quantity)
                    throw new HiShopException(ErrorCode.GoodsUnavailable, $"SKU {group.Key} has {sku.Stock} in stock; {quantity} ordered.",
                        new SkuUnavailable(group.Key, sku.Stock));
                lines.Add(new OrderItem
                {
                    SkuId = sku.SkuId, GoodsId = sku.GoodsId, Title = sku.Title, SpecJson = sku.SpecJson,
                    UnitPrice = sku.UnitPrice, Quantity = quantity, Amount = OrderPricing.LineAmount(sku.UnitPrice, quantity),
                });
            }
            var (goodsAmount, fee, total) = OrderPricing.Price(lines, feeRate);

            var orderNo = Numbers.New("HS", now);
            const string InsertOrder = """
                INSERT INTO orders (order_no, merchant_id, merchant_order_no, status, goods_amount, fee, total_amount, currency,
                                    item_count, shipping, remark, created_at, updated_at)
                VALUES (@orderNo, @merchantId, @mon, 'paid', @goodsAmount, @fee, @total, 'USD', @itemCount, @shipping, @remark, @now, @now)
                """;
            c.Execute(InsertOrder, new
            {
                orderNo, merchantId, mon = input.MerchantOrderNo, goodsAmount, fee, total, itemCount = lines.Sum(l => l.Quantity),
                shipping = JsonSerializer.Serialize(input.Shipping), remark = input.Remark, now,
            }, t);
            foreach (var line in lines)
            {
                const string InsertItem = """
                    INSERT INTO order_items (order_no, sku_id, goods_id, title, spec, unit_price, quantity, amount)
                    VALUES (@orderNo, @SkuId, @GoodsId, @Title, @SpecJson, @UnitPrice, @Quantity, @Amount)
                    """;
                c.Execute(InsertItem, new { orderNo, line.SkuId, line.GoodsId, line.Title, line.SpecJson, line.UnitPrice, line.Quantity, line.Amount }, t);
                MoveStock(c, t, line.SkuId, line.GoodsId, -line.Quantity);
            }
            AppendHistory(c, t, orderNo, OrderStatuses.Paid, "Order placed and paid from credit.", now);
            // Throws 2001 when total exceeds available; the transaction then rolls back and nothing above is kept.
            var entry = Ledger.Append(c, t, merchantId, LedgerTypes.Order, -total, orderNo, $"Order {orderNo}", null, now);
            return new PlacedOrder(OrderLoader.Load(c, t, orderNo, merchantId)!, entry.BalanceAfter);
        });
    }

    public OrderDetail Cancel(string orderNo, long? merchantId, string? reason)
    {
        Validation.Check(v => v.Length("reason", reason, Rules.ReasonMax));
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var order = Transition(c, t, orderNo, merchantId, [OrderStatuses.Paid, OrderStatuses.Processing], OrderStatuses.Cancelled, now);
            foreach (var item in c.Query<OrderItem>("SELECT sku_id AS SkuId, goods_id AS GoodsId, title AS Title, spec AS SpecJson, quantity AS Quantity FROM order_items WHERE order_no = @orderNo", new { orderNo }, t))
                MoveStock(c, t, item.SkuId, item.GoodsId, item.Quantity);
            Ledger.Append(c, t, order.MerchantId, LedgerTypes.Refund, order.TotalAmount, orderNo, $"Refund of order {orderNo}", null, now);
            AppendHistory(c, t, orderNo, OrderStatuses.Cancelled, string.IsNullOrWhiteSpace(reason) ? "Cancelled; refunded in full." : $"Cancelled: {reason.Trim()}; refunded in full.", now);
            return OrderLoader.Load(c, t, orderNo, merchantId)!;
        });
    }

    public OrderDetail Process(string orderNo) => Move(orderNo, OrderStatuses.Paid, OrderStatuses.Processing, "Processing started.");

    public OrderDetail Ship(string orderNo, string carrier, string trackingNo)
    {
        Validation.Check(v => v.Length("carrier", carrier, Rules.CarrierMax, required: true).Length("tracking_no", trackingNo, Rules.TrackingNoMax, required: true));
        return Move(orderNo, OrderStatuses.Processing, OrderStatuses.Shipped, $"Shipped with {carrier.Trim()}, tracking number {trackingNo.Trim()}.",
            (c, t) => c.Execute("UPDATE orders SET carrier = @carrier, tracking_no = @trackingNo WHERE order_no = @orderNo",
                new { carrier = carrier.Trim(), trackingNo = trackingNo.Trim(), orderNo }, t));
    }

    public OrderDetail Deliver(string orderNo) => Move(orderNo, OrderStatuses.Shipped, OrderStatuses.Delivered, "Delivered.");

    private OrderDetail Move(string orderNo, string from, string to, string note, Action<IDbConnection, IDbTransaction>? also = null)
    {
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            Transition(c, t, orderNo, null, [from], to, now);
            also?.Invoke(c, t);
            AppendHistory(c, t, orderNo, to, note, now);
            return OrderLoader.Load(c, t, orderNo, null)!;
        });
    }

    private static OrderSummary Transition(IDbConnection c, IDbTransaction t, string orderNo, long? merchantId, string[] from, string to, long now)
    {
        var order = c.QuerySingleOrDefault<OrderSummary>(SelectOrder + " WHERE order_no = @orderNo", new { orderNo }, t);
        if (order is null || (merchantId is { } m && order.MerchantId != m))
            throw new HiShopException(ErrorCode.NotFound, $"Order {orderNo} not found.");
        if (!from.Contains(order.Status))
            throw new HiShopException(ErrorCode.OrderStatusConflict, $"Order {orderNo} is {order.Status} and cannot become {to}.",
                new OrderRef(orderNo, order.Status));
        c.Execute("UPDATE orders SET status = @to, updated_at = @now WHERE order_no = @orderNo AND status = @from",
            new { to, now, orderNo, from = order.Status }, t);
        return order;
    }

    private static void MoveStock(IDbConnection c, IDbTransaction t, string skuId, string goodsId, long delta)
    {
        c.Execute("UPDATE skus SET stock = stock + @delta WHERE sku_id = @skuId", new { delta, skuId }, t);
        c.Execute("UPDATE goods SET total_stock = (SELECT COALESCE(SUM(stock), 0) FROM skus WHERE goods_id = @goodsId AND status = 'active') WHERE goods_id = @goodsId",
            new { goodsId }, t);
    }

    private static void AppendHistory(IDbConnection c, IDbTransaction t, string orderNo, string status, string note, long now) =>
        c.Execute("INSERT INTO order_history (order_no, status, note, at) VALUES (@orderNo, @status, @note, @now)", new { orderNo, status, note, now }, t);

    private static void Validate(PlaceOrderInput input) => Validation.Check(v =>
    {
        if (input.MerchantOrderNo is null || !Rules.Id().IsMatch(input.MerchantOrderNo))
            v.Add("merchant_order_no", "merchant_order_no must be 1–64 of A-Z a-z 0-9 _ -.");
        if (input.Items is null || input.Items.Count == 0) v.Add("items", "items must hold at least one line.");
        else
        {
            if (input.Items.Count > Rules.MaxOrderLines) v.Add("items", $"items holds at most {Rules.MaxOrderLines} lines.");
            for (var i = 0; i < input.Items.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(input.Items[i].SkuId)) v.Add($"items[{i}].sku_id", $"items[{i}].sku_id is required.");
                else if (input.Items[i].SkuId.Length > 64) v.Add($"items[{i}].sku_id", $"items[{i}].sku_id must be at most 64 characters.");
                if (input.Items[i].Quantity is < 1 or > Rules.MaxQuantity) v.Add($"items[{i}].quantity", $"items[{i}].quantity must be 1–{Rules.MaxQuantity}.");
            }
        }
        if (input.Shipping is not { } s) v.Add("shipping", "shipping is required.");
        else
        {
            v.Length("shipping.name", s.Name, Rules.ShippingNameMax, required: true)
             .Length("shipping.phone", s.Phone, Rules.ShippingPhoneMax, required: true)
             .Length("shipping.country", s.Country, Rules.ShippingRegionMax, required: true)
             .Length("shipping.state", s.State, Rules.ShippingRegionMax, required: true)
             .Length("shipping.city", s.City, Rules.ShippingRegionMax, required: true)
             .Length("shipping.address1", s.Address1, Rules.ShippingAddressMax, required: true)
             .Length("shipping.address2", s.Address2, Rules.ShippingAddressMax)
             .Length("shipping.postal_code", s.PostalCode, Rules.PostalCodeMax, required: true);
        }
        v.Length("remark", input.Remark, Rules.RemarkMax);
    });

    private sealed record OrderNoStatus
    {
        public required string OrderNo { get; init; }
        public required string Status { get; init; }
    }

    private sealed record SkuForOrder
    {
        public required string SkuId { get; init; }
        public required string GoodsId { get; init; }
        public required string Title { get; init; }
        public required string SpecJson { get; init; }
        public long UnitPrice { get; init; }
        public long Stock { get; init; }
    }
}
