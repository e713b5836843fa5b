namespace HiShopping.Store;

/// <summary>
/// One page of a list: its items, where it is, and how many there are in all. Lists that can be walked by keyset
/// (the ledger) also give <see cref="NextCursor"/>: pass it back as the cursor for the next page; null at the end.
/// </summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total)
{
    public string? NextCursor { get; init; }

    /// <summary>True when there are more than <see cref="Total"/> (goods and order lists stop counting at <see cref="Rules.CountCap"/>).</summary>
    public bool TotalIsEstimate { get; init; }
}

/// <summary>The paging every list query carries: page from 1, 1–100 items a page (default 20). Services enforce it.</summary>
public abstract record PagedQuery
{
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = Rules.DefaultPageSize;

    public long Offset => (long)(Page - 1) * PageSize;

    public void CheckPaging(Validation v)
    {
        if (Page is < 1 or > Rules.MaxPage) v.Add("page", $"page must be a whole number from 1 to {Rules.MaxPage}.");
        if (PageSize is < 1 or > Rules.MaxPageSize) v.Add("page_size", $"page_size must be a whole number from 1 to {Rules.MaxPageSize}.");
    }
}

/// <summary>
/// A list that can also be walked by keyset (the ledger, orders), newest first: <see cref="Cursor"/> is the
/// <c>next_cursor</c> of the previous page, and the page starts right after that row at the same cost wherever it is.
/// </summary>
public abstract record KeysetQuery : PagedQuery
{
    public string? Cursor { get; init; }

    /// <summary>
    /// Checks the cursor with the paging; where the page starts (below this row), or null without a cursor. A cursor is
    /// the last row's id, or — for lists in time order (a date range) — its time and id, <c>1764412800000_4711</c>.
    /// </summary>
    public Keyset? CheckCursor(Validation v)
    {
        if (Cursor is null) return null;
        if (Page != 1) v.Add("page", "page cannot be combined with cursor: a cursor already says where the page starts.");
        var parts = Cursor.Split('_');
        static bool Number(string text, out long value) =>
            long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= 1;
        if (parts.Length == 1 && Number(parts[0], out var id)) return new Keyset(null, id);
        if (parts.Length == 2 && Number(parts[0], out var at) && Number(parts[1], out var id2)) return new Keyset(at, id2);
        v.Add("cursor", "cursor must be a next_cursor this list gave.");
        return null;
    }

    /// <summary>Rows to ask for: one more than a page, so that the page knows whether a next one exists.</summary>
    internal int Probe => PageSize + 1;

    /// <summary>
    /// The page from <paramref name="rows"/> (read with <see cref="Probe"/>), with its next cursor: the last row's id,
    /// with its time too when the list is in time order (<paramref name="at"/> given).
    /// </summary>
    internal PageOf<T> ToPage<T>(List<T> rows, long total, bool totalIsEstimate, Func<T, long> id, Func<T, long>? at = null)
    {
        var more = rows.Count > PageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return new PageOf<T>(rows, Page, PageSize, total)
        {
            NextCursor = !more ? null : at is null ? id(rows[^1]).ToString(c) : $"{at(rows[^1]).ToString(c)}_{id(rows[^1]).ToString(c)}",
            TotalIsEstimate = totalIsEstimate,
        };
    }

    /// <summary>
    /// The SQL that starts a page below the cursor: by id, or by (time, id) for a list in time order — so entries whose
    /// times are not in id order (writes committed in another order than they were stamped) are neither skipped nor
    /// repeated.
    /// </summary>
    internal static string After(Keyset cursor, bool timeOrder) =>
        timeOrder && cursor.At is not null ? " AND (created_at < @afterAt OR (created_at = @afterAt AND id < @after))" : " AND id < @after";
}

/// <summary>Where a keyset page starts: below this row (its time, when the list is in time order, and its id).</summary>
public sealed record Keyset(long? At, long Id);
