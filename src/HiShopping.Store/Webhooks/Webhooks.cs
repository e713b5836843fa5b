using System.Data.Common;
using System.Data;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Webhooks;

/// <summary>The events a merchant's notify_url receives.</summary>
public static class WebhookEventTypes
{
    public const string OrderPaid = "order.paid";
    public const string OrderProcessing = "order.processing";
    public const string OrderShipped = "order.shipped";
    public const string OrderDelivered = "order.delivered";
    public const string OrderCancelled = "order.cancelled";
    public const string CreditTopUp = "credit.topup";
    public const string CreditAdjusted = "credit.adjusted";
    public const string CreditLimitChanged = "credit.limit_changed";
    public const string CreditLow = "credit.low";

    /// <summary>The ping of <c>POST /webhooks/test</c>.</summary>
    public const string Test = "webhook.test";

    public static readonly string[] All =
        [OrderPaid, OrderProcessing, OrderShipped, OrderDelivered, OrderCancelled, CreditTopUp, CreditAdjusted, CreditLimitChanged, CreditLow, Test];
}

public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly string[] All = [Pending, Delivered, Failed];
}

/// <summary>
/// An event's <c>data</c> is the same JSON the API returns for the record (an order's detail, a ledger entry, the Open
/// API's credit balance). Those shapes belong to the API layer, which registers this; the Store only stores the text.
/// </summary>
public interface IEventData
{
    string Order(OrderDetail order);
    string Entry(LedgerEntry entry);
    string Credit(long balance, long creditLimit, string currency);
    string Test(string appId, string message);
}

/// <summary>One event and where its delivery stands.</summary>
public sealed record WebhookDelivery
{
    public long Id { get; init; }
    public required string EventId { get; init; }
    public long MerchantId { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public long Attempts { get; init; }
    public long? NextAttemptAt { get; init; }
    public long? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public long CreatedAt { get; init; }
    public long? DeliveredAt { get; init; }

    /// <summary>The exact body that is sent, every time.</summary>
    public required string Payload { get; init; }
}

public sealed record DeliveryQuery : KeysetQuery
{
    public long? MerchantId { get; init; }
    public string? Status { get; init; }
}

/// <summary>
/// When a failed attempt is tried again: the base delay doubled per attempt up to an hour, ±20 % jitter, for three
/// days from the event (and at least <see cref="MinAttempts"/> attempts, for an event that waited behind others); then
/// the event is failed. The base is 10 s (<c>webhook_retry_base_ms</c> shortens it).
/// </summary>
public sealed record WebhookRetryPolicy
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(3);
    public int MinAttempts { get; init; } = 5;

    /// <summary>The next attempt after <paramref name="attempts"/> failed ones, or null when the window is spent.</summary>
    public long? NextAttempt(long attempts, long createdAt, long now, double jitter)
    {
        var exponent = Math.Min(attempts - 1, 30);
        var delay = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        var next = now + (long)(delay * (0.8 + 0.4 * jitter));
        return next - createdAt > (long)Window.TotalMilliseconds && attempts >= MinAttempts ? null : next;
    }
}

/// <summary>What one delivery attempt came to.</summary>
public sealed record DeliveryOutcome(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// Records events in the transaction of the change they report. Nothing is recorded for a merchant whose app has no
/// notify_url: there is nowhere to send it (an event is for the URL set when it happened).
/// </summary>
public sealed class Outbox(IEventData? data = null)
{
    private IEventData Data => data ?? throw new InvalidOperationException("No IEventData is registered: compose the store with AddHiShoppingDomain.");

    /// <summary>An order event; with <paramref name="debit"/> (the order's ledger entry) also credit.low, if it crossed.</summary>
    public void Order(DbConnection c, IDbTransaction t, string type, OrderDetail order, long now, LedgerEntry? debit = null)
    {
        if (Hook(c, t, order.Order.MerchantId) is not { } hook) return;
        Add(c, t, order.Order.MerchantId, type, Data.Order(order), now);
        if (debit is not null) LowCredit(c, t, hook, debit, now);
    }

    /// <summary>A ledger event (top-up, adjustment); a debit also sends credit.low, if it crossed the threshold.</summary>
    public void Entry(DbConnection c, IDbTransaction t, string type, LedgerEntry entry, long now)
    {
        if (Hook(c, t, entry.MerchantId) is not { } hook) return;
        Add(c, t, entry.MerchantId, type, Data.Entry(entry), now);
        LowCredit(c, t, hook, entry, now);
    }

    public void Credit(DbConnection c, IDbTransaction t, string type, long merchantId, long now)
    {
        if (Hook(c, t, merchantId) is null) return;
        var (balance, limit, currency) = Account(c, t, merchantId);
        Add(c, t, merchantId, type, Data.Credit(balance, limit, currency), now);
    }

    /// <summary>credit.low when this debit took available credit from at or above the app's threshold to below it.</summary>
    private void LowCredit(DbConnection c, IDbTransaction t, HookRow hook, LedgerEntry entry, long now)
    {
        if (entry.Amount >= 0 || hook.Threshold is not { } threshold) return;
        var (balance, limit, currency) = Account(c, t, entry.MerchantId);
        if (entry.BalanceBefore + limit >= threshold && entry.BalanceAfter + limit < threshold)
            Add(c, t, entry.MerchantId, WebhookEventTypes.CreditLow, Data.Credit(balance, limit, currency), now);
    }

    public string Test(DbConnection c, IDbTransaction t, long merchantId, string appId, long now)
    {
        if (Hook(c, t, merchantId) is null) throw HiShopException.Invalid("notify_url", "Set the app's notify_url first: the test event is sent there.");
        return Add(c, t, merchantId, WebhookEventTypes.Test, Data.Test(appId, "This is a test event from HiShopping."), now);
    }

    private sealed record HookRow(string Url, long? Threshold);

    private static HookRow? Hook(DbConnection c, IDbTransaction t, long merchantId)
    {
        using var row = c.Cached(t, "SELECT notify_url, low_credit_threshold FROM apps WHERE merchant_id = @merchantId AND notify_url IS NOT NULL")
            .With("@merchantId", merchantId).ExecuteReader();
        return row.Read() ? new HookRow(row.GetString(0), row.IsDBNull(1) ? null : row.GetInt64(1)) : null;
    }

    private static (long Balance, long Limit, string Currency) Account(DbConnection c, IDbTransaction t, long merchantId)
    {
        using var row = c.Cached(t, "SELECT balance, credit_limit, currency FROM credit_accounts WHERE merchant_id = @merchantId")
            .With("@merchantId", merchantId).ExecuteReader();
        return row.Read() ? (row.GetInt64(0), row.GetInt64(1), row.GetString(2)) : (0, 0, "USD");
    }

    private static string Add(DbConnection c, IDbTransaction t, long merchantId, string type, string dataJson, long now)
    {
        var eventId = "evt_" + Guid.CreateVersion7().ToString("N");
        var body = new StringBuilder(dataJson.Length + 128)
            .Append("{\"id\":").Append(Quote(eventId))
            .Append(",\"type\":").Append(Quote(type))
            .Append(",\"created_at\":").Append(Quote(Times.Iso(now)))
            .Append(",\"data\":").Append(dataJson).Append('}').ToString();
        const string Sql = """
            INSERT INTO webhook_events (event_id, merchant_id, type, payload, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES (@eventId, @merchantId, @type, @payload, 'pending', 0, @now, @now, @now)
            """;
        c.Cached(t, Sql).With("@eventId", eventId).With("@merchantId", merchantId).With("@type", type).With("@payload", body)
            .With("@now", now).ExecuteNonQuery();
        return eventId;
    }

    private static string Quote(string text) => "\"" + JsonEncodedText.Encode(text).Value + "\"";
}

/// <summary>Deliveries for the merchant, the operator and serve's dispatcher.</summary>
public interface IWebhookService
{
    PageOf<WebhookDelivery> List(DeliveryQuery query);

    /// <summary>The event, or null; with <paramref name="merchantId"/> another merchant's is null too.</summary>
    WebhookDelivery? Get(string eventId, long? merchantId = null);

    /// <summary>Sends a pending or failed event again at once (same id, same body); a delivered one is 4000.</summary>
    WebhookDelivery Retry(string eventId, long? merchantId = null);

    /// <summary>Queues a <c>webhook.test</c> event to the merchant's notify_url; returns its event id.</summary>
    string Test(long merchantId);

    /// <summary>For the dispatcher: each merchant's oldest pending event, when it is due, oldest first.</summary>
    IReadOnlyList<WebhookDelivery> Due(int limit);

    /// <summary>
    /// For the dispatcher: takes the event for one attempt, if it is still as <paramref name="delivery"/> saw it (pending,
    /// due, the same number of attempts) — so a stale read never sends an event twice. The event is not due again for
    /// <paramref name="lease"/>: if the attempt's outcome is never recorded (a crash), it goes out again after that.
    /// </summary>
    bool Claim(WebhookDelivery delivery, TimeSpan lease);

    /// <summary>For the dispatcher: deletes delivered and failed events last touched longer ago than <paramref name="age"/>.</summary>
    int Prune(TimeSpan age);

    /// <summary>For the dispatcher: the attempt's outcome; a failure is tried again per the policy, or failed.</summary>
    WebhookDelivery Record(long id, DeliveryOutcome outcome, WebhookRetryPolicy policy);
}

public sealed class WebhookService(Db db, Outbox outbox, IAppService apps, TimeProvider clock) : IWebhookService
{
    private const string SelectDelivery = """
        SELECT id AS Id, event_id AS EventId, merchant_id AS MerchantId, type AS Type, status AS Status, attempts AS Attempts,
               next_attempt_at AS NextAttemptAt, last_status_code AS LastStatusCode, last_error AS LastError,
               created_at AS CreatedAt, delivered_at AS DeliveredAt, payload AS Payload
        FROM webhook_events
        """;

    public PageOf<WebhookDelivery> List(DeliveryQuery query)
    {
        Keyset? after = null;
        Validation.Check(v =>
        {
            query.CheckPaging(v);
            if (query.Status is not null && !DeliveryStatuses.All.Contains(query.Status)) v.Add("status", $"status must be one of: {string.Join(", ", DeliveryStatuses.All)}.");
            after = query.CheckCursor(v);
        });
        var where = new StringBuilder("WHERE 1 = 1");
        var args = new DynamicParameters(new { limit = query.Probe, offset = after is null ? query.Offset : 0, cap = Rules.CountCap + 1 });
        if (query.MerchantId is { } m) { where.Append(" AND merchant_id = @merchantId"); args.Add("merchantId", m); }
        if (query.Status is { } s) { where.Append(" AND status = @status"); args.Add("status", s); }
        using var c = db.Open();
        var total = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM (SELECT 1 FROM webhook_events {where} LIMIT @cap) AS m", args);
        if (after is not null) { where.Append(" AND id < @after"); args.Add("after", after.Id); }
        var items = c.Query<WebhookDelivery>($"{SelectDelivery} {where} ORDER BY id DESC LIMIT @limit OFFSET @offset", args).AsList();
        var estimate = total > Rules.CountCap;
        return query.ToPage(items, estimate ? Rules.CountCap : total, estimate, d => d.Id);
    }

    public WebhookDelivery? Get(string eventId, long? merchantId = null)
    {
        using var c = db.Open();
        var d = c.QuerySingleOrDefault<WebhookDelivery>(SelectDelivery + " WHERE event_id = @eventId", new { eventId });
        return d is null || (merchantId is { } m && d.MerchantId != m) ? null : d;
    }

    public WebhookDelivery Retry(string eventId, long? merchantId = null)
    {
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var d = c.QuerySingleOrDefault<WebhookDelivery>(SelectDelivery + " WHERE event_id = @eventId", new { eventId }, t);
            if (d is null || (merchantId is { } m && d.MerchantId != m)) throw new HiShopException(ErrorCode.NotFound, $"Event {eventId} not found.");
            if (d.Status == DeliveryStatuses.Delivered) throw HiShopException.Invalid("event_id", $"Event {eventId} was delivered already.");
            c.Execute("UPDATE webhook_events SET status = 'pending', next_attempt_at = @now, updated_at = @now WHERE id = @id", new { now, id = d.Id }, t);
            return d with { Status = DeliveryStatuses.Pending, NextAttemptAt = now };
        });
    }

    public string Test(long merchantId)
    {
        var app = apps.GetForMerchant(merchantId);
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            // One test ping on its way at a time: the endpoint cannot be used to pile events up or make serve POST at will.
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_events WHERE merchant_id = @merchantId AND status = 'pending' AND type = 'webhook.test'",
                    new { merchantId }, t) > 0)
                throw new HiShopException(ErrorCode.Conflict, "A test event is already on its way: see it in the deliveries.");
            return outbox.Test(c, t, merchantId, app.AppId, now);
        });
    }

    public IReadOnlyList<WebhookDelivery> Due(int limit)
    {
        // The oldest pending event of each merchant, if it is due: a later event waits for an earlier one (in order).
        // Test pings go on their own: they neither wait for a merchant's events nor hold them up. The heads come from
        // the partial index of pending events, so delivered history costs nothing here.
        const string Sql = $"""
            {SelectDelivery}
            WHERE id IN (SELECT MIN(id) FROM webhook_events WHERE status = 'pending' AND type <> 'webhook.test' GROUP BY merchant_id
                         UNION ALL
                         SELECT id FROM webhook_events WHERE status = 'pending' AND type = 'webhook.test')
              AND next_attempt_at <= @now
            ORDER BY next_attempt_at LIMIT @limit
            """;
        using var c = db.Open();
        return c.Query<WebhookDelivery>(Sql, new { now = Times.Now(clock), limit }).AsList();
    }

    public bool Claim(WebhookDelivery delivery, TimeSpan lease)
    {
        var now = Times.Now(clock);
        const string Sql = """
            UPDATE webhook_events SET next_attempt_at = @until, updated_at = @now
            WHERE id = @id AND status = 'pending' AND attempts = @attempts AND next_attempt_at <= @now
            """;
        return db.Write((c, t) => c.Execute(Sql, new { until = now + (long)lease.TotalMilliseconds, now, id = delivery.Id, attempts = delivery.Attempts }, t) == 1);
    }

    public int Prune(TimeSpan age)
    {
        var before = Times.Now(clock) - (long)age.TotalMilliseconds;
        return db.Write((c, t) => c.Execute("DELETE FROM webhook_events WHERE status <> 'pending' AND updated_at < @before", new { before }, t));
    }

    public WebhookDelivery Record(long id, DeliveryOutcome outcome, WebhookRetryPolicy policy)
    {
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var d = c.QuerySingle<WebhookDelivery>(SelectDelivery + " WHERE id = @id", new { id }, t);
            var attempts = d.Attempts + 1;
            var error = outcome.Error is { Length: > 300 } e ? e[..300] : outcome.Error;
            var next = outcome.Delivered ? null : policy.NextAttempt(attempts, d.CreatedAt, now, Random.Shared.NextDouble());
            var status = outcome.Delivered ? DeliveryStatuses.Delivered : next is null ? DeliveryStatuses.Failed : DeliveryStatuses.Pending;
            const string Sql = """
                UPDATE webhook_events SET status = @status, attempts = @attempts, next_attempt_at = @next, last_status_code = @code,
                                          last_error = @error, delivered_at = @delivered, updated_at = @now
                WHERE id = @id
                """;
            c.Execute(Sql, new { status, attempts, next, code = outcome.StatusCode, error, delivered = outcome.Delivered ? now : (long?)null, now, id }, t);
            return d with
            {
                Status = status, Attempts = attempts, NextAttemptAt = next, LastStatusCode = outcome.StatusCode, LastError = error,
                DeliveredAt = outcome.Delivered ? now : null,
            };
        });
    }
}
