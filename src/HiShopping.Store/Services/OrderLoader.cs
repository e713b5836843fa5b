using System.Data;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Services;

/// <summary>
/// Reads one order whole — the row, its lines, its history and its ledger entries — in a single query: the lists come
/// back as JSON arrays built by the database (json_group_array, json_agg on PostgreSQL), in the order they were written.
/// </summary>
internal static class OrderLoader
{
    private static string Sql(Dialect d) => $"""
        SELECT o.merchant_id AS MerchantId, o.order_no AS OrderNo, o.merchant_order_no AS MerchantOrderNo, o.status AS Status,
               o.goods_amount AS GoodsAmount, o.fee AS Fee, o.total_amount AS TotalAmount, o.currency AS Currency,
               o.item_count AS ItemCount, o.created_at AS CreatedAt, o.updated_at AS UpdatedAt,
               o.shipping AS ShippingJson, o.remark AS Remark, o.carrier AS Carrier, o.tracking_no AS TrackingNo,
               (SELECT {d.JsonArrayOfObjects("""
                    'SkuId', i.sku_id, 'GoodsId', i.goods_id, 'Title', i.title, 'SpecJson', i.spec,
                    'UnitPrice', i.unit_price, 'Quantity', i.quantity, 'Amount', i.amount
                    """)}
                FROM (SELECT * FROM order_items WHERE order_no = o.order_no ORDER BY id) i) AS ItemsJson,
               (SELECT {d.JsonArrayOfObjects("'Status', h.status, 'Note', h.note, 'At', h.at")}
                FROM (SELECT * FROM order_history WHERE order_no = o.order_no ORDER BY id) h) AS HistoryJson,
               (SELECT {d.JsonArrayOfObjects("""
                    'Id', l.id, 'MerchantId', l.merchant_id, 'ReferenceNo', l.reference_no, 'Type', l.type,
                    'Amount', l.amount, 'BalanceBefore', l.balance_before, 'BalanceAfter', l.balance_after,
                    'OrderNo', l.order_no, 'Memo', l.memo, 'OperatorId', l.operator_id, 'CreatedAt', l.created_at
                    """)}
                FROM (SELECT * FROM ledger_entries WHERE order_no = o.order_no ORDER BY id) l) AS LedgerJson
        FROM orders o WHERE o.order_no = @orderNo
        """;

    private static readonly string SqliteSql = Sql(Dialect.Sqlite);
    private static readonly string PostgresSql = Sql(Dialect.Postgres);

    /// <summary>The order, or null; with <paramref name="merchantId"/> another merchant's order is null too.</summary>
    public static OrderDetail? Load(IDbConnection c, IDbTransaction? t, string orderNo, long? merchantId)
    {
        // The summary columns come first, the rest from ShippingJson on: Dapper splits the one row in two there.
        var sql = c is Npgsql.NpgsqlConnection ? PostgresSql : SqliteSql;
        var (order, row) = c.Query<OrderSummary, Rest, (OrderSummary, Rest)>(sql, (o, r) => (o, r), new { orderNo }, t, splitOn: "ShippingJson")
            .SingleOrDefault();
        if (order is null || (merchantId is { } m && order.MerchantId != m)) return null;
        return new OrderDetail
        {
            Order = order,
            Items = JsonSerializer.Deserialize<List<OrderItem>>(row.ItemsJson)!,
            Shipping = JsonSerializer.Deserialize<ShippingAddress>(row.ShippingJson)!,
            Remark = row.Remark,
            Carrier = row.Carrier,
            TrackingNo = row.TrackingNo,
            History = JsonSerializer.Deserialize<List<OrderHistoryEntry>>(row.HistoryJson)!,
            LedgerEntries = JsonSerializer.Deserialize<List<LedgerEntry>>(row.LedgerJson)!,
        };
    }

    private sealed record Rest
    {
        public required string ShippingJson { get; init; }
        public string? Remark { get; init; }
        public string? Carrier { get; init; }
        public string? TrackingNo { get; init; }
        public required string ItemsJson { get; init; }
        public required string HistoryJson { get; init; }
        public required string LedgerJson { get; init; }
    }
}
