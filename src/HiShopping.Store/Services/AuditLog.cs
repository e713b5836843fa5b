using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Services;

/// <summary>One operator action: who (null = the CLI), when, what (<c>user.unlock</c>) and on what (<c>user 12</c>).</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public long At { get; init; }
    public long? ActorId { get; init; }
    public string? ActorEmail { get; init; }
    public required string Action { get; init; }
    public required string Target { get; init; }
}

public sealed record AuditQuery : PagedQuery
{
    /// <summary>Only this operator's actions.</summary>
    public long? ActorId { get; init; }
}

/// <summary>
/// What operators did. The Operator API records each successful change (one filter on its route group, so no route
/// can forget it), and so does the local console's operator side. Reading it never needs more than the newest page.
/// </summary>
public interface IAuditLog
{
    void Record(long? actorId, string action, string target);

    /// <summary>Newest first.</summary>
    PageOf<AuditEntry> List(AuditQuery query);
}

public sealed class AuditLog(Db db, TimeProvider clock) : IAuditLog
{
    public void Record(long? actorId, string action, string target)
    {
        var at = Times.Now(clock);
        db.Write((c, t) => c.Execute("INSERT INTO audit_log (at, actor_id, action, target) VALUES (@at, @actorId, @action, @target)",
            new { at, actorId, action, target }, t));
    }

    public PageOf<AuditEntry> List(AuditQuery query)
    {
        Validation.Check(query.CheckPaging);
        const string Where = "WHERE (@ActorId IS NULL OR a.actor_id = @ActorId)";
        const string Select = $"""
            SELECT a.id AS Id, a.at AS At, a.actor_id AS ActorId, u.email AS ActorEmail, a.action AS Action, a.target AS Target
            FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
            {Where}
            ORDER BY a.id DESC LIMIT @PageSize OFFSET @Offset
            """;
        using var c = db.Open();
        var args = new { query.ActorId, query.PageSize, query.Offset, cap = Rules.CountCap + 1 };
        var total = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM (SELECT 1 FROM audit_log a {Where} LIMIT @cap) AS m", args);
        var items = c.Query<AuditEntry>(Select, args).AsList();
        return new PageOf<AuditEntry>(items, query.Page, query.PageSize, Math.Min(total, Rules.CountCap)) { TotalIsEstimate = total > Rules.CountCap };
    }
}
