using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Webhooks;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Services;

/// <summary>Orders: reads for both APIs and the console; placement, cancellation and the operator's status moves.</summary>
public interface IOrderService
{
    PageOf<OrderSummary> List(OrderQuery query);

    /// <summary>The order, or null; with <paramref name="merchantId"/> another merchant's order is null too.</summary>
    OrderDetail? Get(string orderNo, long? merchantId = null);

    PlacedOrder Place(long merchantId, PlaceOrderInput input);

    /// <summary>
    /// Places the order in the writer's next batch; with <paramref name="nonce"/> the request's nonce is spent in the
    /// same commit, and stays spent when the order is refused (2001, 2002, 2003).
    /// </summary>
    Task<PlacedOrder> PlaceAsync(long merchantId, PlaceOrderInput input, RequestNonce? nonce = null);

    OrderDetail Cancel(string orderNo, long? merchantId, string? reason);

    /// <summary>Cancels and refunds in the writer's next batch, spending <paramref name="nonce"/> in the same commit.</summary>
    Task<OrderDetail> CancelAsync(string orderNo, long? merchantId, string? reason, RequestNonce? nonce = null);
    OrderDetail Process(string orderNo);
    OrderDetail Ship(string orderNo, string carrier, string trackingNo);
    OrderDetail Deliver(string orderNo);
}

public sealed class OrderService(Db db, TimeProvider clock, Outbox outbox) : IOrderService
{
    private const string SelectOrder = """
        SELECT id AS Id, merchant_id AS MerchantId, order_no AS OrderNo, merchant_order_no AS MerchantOrderNo, status AS Status,
               goods_amount AS GoodsAmount, fee AS Fee, total_amount AS TotalAmount, currency AS Currency,
               item_count AS ItemCount, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM orders
        """;

    public PageOf<OrderSummary> List(OrderQuery query)
    {
        Keyset? after = null;
        Validation.Check(v =>
        {
            query.CheckPaging(v);
            if (query.Status is not null && !OrderStatuses.All.Contains(query.Status)) v.Add("status", $"status must be one of: {string.Join(", ", OrderStatuses.All)}.");
            v.Length("keyword", query.Keyword, Rules.KeywordMax);
            after = query.CheckCursor(v);
        });
        var (countSql, pageSql, args) = ListCommands(query, after, db.Dialect);
        using var c = db.Open();
        var total = c.ExecuteScalar<long>(countSql, args);
        var items = c.Query<OrderSummary>(pageSql, args).AsList();
        var estimate = total > Rules.CountCap;
        var timeOrder = query.From is not null || query.To is not null;
        return query.ToPage(items, estimate ? Rules.CountCap : total, estimate, o => o.Id, timeOrder ? o => o.CreatedAt : null);
    }

    /// <summary>
    /// The list's two statements. The count stops past Rules.CountCap, so that no page counts a million orders. The
    /// page is newest first by id, which the indexes (merchant), (merchant, status) and (status) hold in order; a date
    /// range reads (merchant, created_at) or (created_at) in order (ids grow with time); a keyword reads two number ranges.
    /// </summary>
    /// <summary>A keyword this long or longer is looked up by the number indexes; a shorter one filters the list in order.</summary>
    internal const int NarrowKeyword = 10;

    internal static (string Count, string Page, DynamicParameters Args) ListCommands(OrderQuery query, Keyset? after, Dialect? dialect = null)
    {
        // SQLite's planner is steered with unary "+" (which PostgreSQL's does not need, nor accept on text); the number
        // ranges compare bytes on PostgreSQL too (COLLATE "C"), whatever the database's collation.
        var postgres = dialect?.IsPostgres == true;
        var bytes = postgres ? " COLLATE \"C\"" : "";
        var where = new StringBuilder("WHERE 1 = 1");
        var args = new DynamicParameters(new { limit = query.Probe, offset = after is null ? query.Offset : 0, cap = Rules.CountCap + 1 });
        // A keyword of 10 characters or more (HS + a day, or most of a merchant's own number) matches few orders: the two
        // number ranges are the way in, and "+" keeps the merchant's index out of the plan. A shorter one matches many:
        // the list is read in its own order (all orders, or the merchant's) and stops after a page, the ranges a filter.
        var keyword = string.IsNullOrWhiteSpace(query.Keyword) ? null : query.Keyword.Trim();
        var narrow = keyword is { Length: >= NarrowKeyword };
        if (query.MerchantId is { } m) { where.Append(narrow && !postgres ? " AND +merchant_id = @merchantId" : " AND merchant_id = @merchantId"); args.Add("merchantId", m); }
        if (!string.IsNullOrEmpty(query.Status)) { where.Append(" AND status = @status"); args.Add("status", query.Status); }
        if (query.From is { } from) { where.Append(" AND created_at >= @from"); args.Add("from", from); }
        if (query.To is { } to) { where.Append(" AND created_at <= @to"); args.Add("to", to); }
        if (!string.IsNullOrEmpty(query.MerchantOrderNo)) { where.Append(" AND merchant_order_no = @mon"); args.Add("mon", query.MerchantOrderNo); }
        if (keyword is not null)
        {
            // From the start of the order number (any case: they are upper case) or of the merchant order number (as
            // typed). Both are ASCII, so the keyword + U+FFFF ends each range.
            var p = narrow || postgres ? "" : "+";
            where.Append($" AND ({p}order_no{bytes} >= @orderNo AND {p}order_no{bytes} < @orderNoEnd OR {p}merchant_order_no{bytes} >= @keyword AND {p}merchant_order_no{bytes} < @keywordEnd)");
            args.Add("orderNo", keyword.ToUpperInvariant());
            args.Add("orderNoEnd", keyword.ToUpperInvariant() + '\uffff');
            args.Add("keyword", keyword);
            args.Add("keywordEnd", keyword + '\uffff');
        }
        var count = $"SELECT COUNT(*) FROM (SELECT 1 FROM orders {where} LIMIT @cap) AS m";
        var timeOrder = query.From is not null || query.To is not null;
        if (after is not null) { where.Append(KeysetQuery.After(after, timeOrder)); args.Add("after", after.Id); args.Add("afterAt", after.At); }
        var order = timeOrder ? "created_at DESC, id DESC" : "id DESC";
        return (count, $"{SelectOrder} {where} ORDER BY {order} LIMIT @limit OFFSET @offset", args);
    }

    public OrderDetail? Get(string orderNo, long? merchantId = null)
    {
        using var c = db.Open();
        return OrderLoader.Load(c, null, orderNo, merchantId);
    }

    public PlacedOrder Place(long merchantId, PlaceOrderInput input) => PlaceAsync(merchantId, input).GetAwaiter().GetResult();

    public Task<PlacedOrder> PlaceAsync(long merchantId, PlaceOrderInput input, RequestNonce? nonce = null)
    {
        Validate(input);
        var now = Times.Now(clock);
        // What needs no lock is made before the writer's turn: the numbers (random bits each) and the shipping's JSON.
        var orderNo = Numbers.New("HS", now);
        var referenceNo = Numbers.New("CR", now);
        var shipping = JsonSerializer.Serialize(input.Shipping);
        return db.WriteAsync((c, t) =>
        {
            // Every statement here is prepared once on the writer's connection (Statements.Cached): this is the hot path.
            // A repeated merchant_order_no is answered first, whatever else changed since (idempotent retries get 2002).
            if (Existing(c, t, merchantId, input.MerchantOrderNo) is { } existing)
                throw new HiShopException(ErrorCode.DuplicateOrder, $"merchant_order_no {input.MerchantOrderNo} was already used by order {existing.OrderNo}.",
                    new OrderRef(existing.OrderNo, existing.Status));
            var feeRate = c.Cached(t, "SELECT fee_rate_bps FROM merchants WHERE id = @merchantId").With("@merchantId", merchantId).Long()
                ?? throw new HiShopException(ErrorCode.NotFound, MerchantService.NoProfileMessage);
            var lines = new List<OrderItem>(input.Items.Count);
            foreach (var group in input.Items.GroupBy(i => i.SkuId))
            {
                var quantity = group.Sum(i => i.Quantity);
                const string SkuSql = """
                    SELECT s.sku_id, s.goods_id, g.title, s.spec, s.price, s.stock
                    FROM skus s JOIN goods g ON g.goods_id = s.goods_id
                    WHERE s.sku_id = @skuId AND s.status = 'active' AND g.status = 'active'
                    """;
                using var sku = c.Cached(t, SkuSql).With("@skuId", group.Key).ExecuteReader();
                if (!sku.Read())
                    throw new HiShopException(ErrorCode.GoodsUnavailable, $"SKU {group.Key} is unknown or not on sale.", new SkuUnavailable(group.Key, null));
                var stock = sku.GetInt64(5);
                if (stock < quantity)
                    throw new HiShopException(ErrorCode.GoodsUnavailable, $"SKU {group.Key} has {stock} in stock; {quantity} ordered.",
                        new SkuUnavailable(group.Key, stock));
                var unitPrice = sku.GetInt64(4);
                lines.Add(new OrderItem
                {
                    SkuId = sku.GetString(0), GoodsId = sku.GetString(1), Title = sku.GetString(2), SpecJson = sku.GetString(3),
                    UnitPrice = unitPrice, Quantity = quantity, Amount = OrderPricing.LineAmount(unitPrice, quantity),
                });
            }
            var (goodsAmount, fee, total) = OrderPricing.Price(lines, feeRate);
            // The debit comes before anything is written: a refusal (2001) then changes nothing, and needs no savepoint
            // (see GroupCommit). Everything after it is checked above and cannot be refused.
            var debit = Ledger.Move(c, t, merchantId, LedgerTypes.Order, -total, now);

            var itemCount = lines.Sum(l => l.Quantity);
            const string InsertOrder = """
                INSERT INTO orders (order_no, merchant_id, merchant_order_no, status, goods_amount, fee, total_amount, currency,
                                    item_count, shipping, remark, created_at, updated_at)
                VALUES (@orderNo, @merchantId, @mon, 'paid', @goodsAmount, @fee, @total, 'USD', @itemCount, @shipping, @remark, @now, @now)
                """;
            c.Cached(t, InsertOrder).With("@orderNo", orderNo).With("@merchantId", merchantId).With("@mon", input.MerchantOrderNo)
                .With("@goodsAmount", goodsAmount).With("@fee", fee).With("@total", total).With("@itemCount", itemCount)
                .With("@shipping", shipping).With("@remark", input.Remark).With("@now", now).ExecuteNonQuery();
            foreach (var line in lines)
            {
                const string InsertItem = """
                    INSERT INTO order_items (order_no, sku_id, goods_id, title, spec, unit_price, quantity, amount)
                    VALUES (@orderNo, @skuId, @goodsId, @title, @spec, @unitPrice, @quantity, @amount)
                    """;
                c.Cached(t, InsertItem).With("@orderNo", orderNo).With("@skuId", line.SkuId).With("@goodsId", line.GoodsId).With("@title", line.Title)
                    .With("@spec", line.SpecJson).With("@unitPrice", line.UnitPrice).With("@quantity", line.Quantity).With("@amount", line.Amount).ExecuteNonQuery();
                // The SKU is active (it was just read so): the goods' total moves by the same quantity.
                c.Cached(t, "UPDATE skus SET stock = stock - @quantity WHERE sku_id = @skuId").With("@quantity", line.Quantity).With("@skuId", line.SkuId).ExecuteNonQuery();
                c.Cached(t, "UPDATE goods SET total_stock = total_stock - @quantity WHERE goods_id = @goodsId").With("@quantity", line.Quantity).With("@goodsId", line.GoodsId).ExecuteNonQuery();
            }
            const string PlacedNote = "Order placed and paid from credit.";
            AppendHistory(c, t, orderNo, OrderStatuses.Paid, PlacedNote, now);
            var entry = Ledger.Record(c, t, debit, orderNo, $"Order {orderNo}", null, now, referenceNo);
            // The answer is what was just written: no need to read it back.
            var detail = new OrderDetail
            {
                Order = new OrderSummary
                {
                    MerchantId = merchantId, OrderNo = orderNo, MerchantOrderNo = input.MerchantOrderNo, Status = OrderStatuses.Paid,
                    GoodsAmount = goodsAmount, Fee = fee, TotalAmount = total, Currency = "USD", ItemCount = itemCount, CreatedAt = now, UpdatedAt = now,
                },
                Items = lines,
                Shipping = input.Shipping,
                Remark = input.Remark,
                History = [new OrderHistoryEntry { Status = OrderStatuses.Paid, Note = PlacedNote, At = now }],
                LedgerEntries = [entry],
            };
            outbox.Order(c, t, WebhookEventTypes.OrderPaid, detail, now, debit: entry);
            return new PlacedOrder(detail, entry.BalanceAfter);
        }, Spend(nonce, now));
    }

    public OrderDetail Cancel(string orderNo, long? merchantId, string? reason) => CancelAsync(orderNo, merchantId, reason).GetAwaiter().GetResult();

    public Task<OrderDetail> CancelAsync(string orderNo, long? merchantId, string? reason, RequestNonce? nonce = null)
    {
        Validation.Check(v => v.Length("reason", reason, Rules.ReasonMax));
        var now = Times.Now(clock);
        return db.WriteAsync((c, t) =>
        {
            var order = Transition(c, t, orderNo, merchantId, [OrderStatuses.Paid, OrderStatuses.Processing], OrderStatuses.Cancelled, now);
            foreach (var item in c.Query<OrderItem>("SELECT sku_id AS SkuId, goods_id AS GoodsId, title AS Title, spec AS SpecJson, quantity AS Quantity FROM order_items WHERE order_no = @orderNo", new { orderNo }, t))
                MoveStock(c, t, item.SkuId, item.GoodsId, item.Quantity);
            Ledger.Append(c, t, order.MerchantId, LedgerTypes.Refund, order.TotalAmount, orderNo, $"Refund of order {orderNo}", null, now);
            AppendHistory(c, t, orderNo, OrderStatuses.Cancelled, string.IsNullOrWhiteSpace(reason) ? "Cancelled; refunded in full." : $"Cancelled: {reason.Trim()}; refunded in full.", now);
            var cancelled = OrderLoader.Load(c, t, orderNo, merchantId)!;
            outbox.Order(c, t, WebhookEventTypes.OrderCancelled, cancelled, now);
            return cancelled;
        }, Spend(nonce, now));
    }

    private static OrderNoStatus? Existing(DbConnection c, IDbTransaction t, long merchantId, string merchantOrderNo)
    {
        using var row = c.Cached(t, "SELECT order_no, status FROM orders WHERE merchant_id = @merchantId AND merchant_order_no = @mon")
            .With("@merchantId", merchantId).With("@mon", merchantOrderNo).ExecuteReader();
        return row.Read() ? new OrderNoStatus { OrderNo = row.GetString(0), Status = row.GetString(1) } : null;
    }

    private static Action<DbConnection, IDbTransaction>? Spend(RequestNonce? nonce, long now) =>
        nonce is null ? null : (c, t) => nonce.Spend(c, t, now);

    public OrderDetail Process(string orderNo) => Move(orderNo, OrderStatuses.Paid, OrderStatuses.Processing, "Processing started.", WebhookEventTypes.OrderProcessing);

    public OrderDetail Ship(string orderNo, string carrier, string trackingNo)
    {
        Validation.Check(v => v.Length("carrier", carrier, Rules.CarrierMax, required: true).Length("tracking_no", trackingNo, Rules.TrackingNoMax, required: true));
        return Move(orderNo, OrderStatuses.Processing, OrderStatuses.Shipped, $"Shipped with {carrier.Trim()}, tracking number {trackingNo.Trim()}.",
            WebhookEventTypes.OrderShipped, (c, t) => c.Execute("UPDATE orders SET carrier = @carrier, tracking_no = @trackingNo WHERE order_no = @orderNo",
                new { carrier = carrier.Trim(), trackingNo = trackingNo.Trim(), orderNo }, t));
    }

    public OrderDetail Deliver(string orderNo) => Move(orderNo, OrderStatuses.Shipped, OrderStatuses.Delivered, "Delivered.", WebhookEventTypes.OrderDelivered);

    private OrderDetail Move(string orderNo, string from, string to, string note, string eventType, Action<IDbConnection, IDbTransaction>? also = null)
    {
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            Transition(c, t, orderNo, null, [from], to, now);
            also?.Invoke(c, t);
            AppendHistory(c, t, orderNo, to, note, now);
            var moved = OrderLoader.Load(c, t, orderNo, null)!;
            outbox.Order(c, t, eventType, moved, now);
            return moved;
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

    private static void MoveStock(DbConnection c, IDbTransaction t, string skuId, string goodsId, long delta)
    {
        c.Cached(t, "UPDATE skus SET stock = stock + @delta WHERE sku_id = @skuId").With("@delta", delta).With("@skuId", skuId).ExecuteNonQuery();
        c.Cached(t, "UPDATE goods SET total_stock = (SELECT COALESCE(SUM(stock), 0) FROM skus WHERE goods_id = @goodsId AND status = 'active') WHERE goods_id = @goodsId")
            .With("@goodsId", goodsId).ExecuteNonQuery();
    }

    private static void AppendHistory(DbConnection c, IDbTransaction t, string orderNo, string status, string note, long now) =>
        c.Cached(t, "INSERT INTO order_history (order_no, status, note, at) VALUES (@orderNo, @status, @note, @now)")
            .With("@orderNo", orderNo).With("@status", status).With("@note", note).With("@now", now).ExecuteNonQuery();

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
