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

    /// <summary>Checks the cursor with the paging; the id the page starts below, or null without a cursor.</summary>
    public long? CheckCursor(Validation v)
    {
        if (Cursor is null) return null;
        if (Page != 1) v.Add("page", "page cannot be combined with cursor: a cursor already says where the page starts.");
        if (long.TryParse(Cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id >= 1) return id;
        v.Add("cursor", "cursor must be a next_cursor this list gave.");
        return null;
    }

    /// <summary>Rows to ask for: one more than a page, so that the page knows whether a next one exists.</summary>
    internal int Probe => PageSize + 1;

    /// <summary>The page from <paramref name="rows"/> (read with <see cref="Probe"/>), with its next cursor.</summary>
    internal PageOf<T> ToPage<T>(List<T> rows, long total, bool totalIsEstimate, Func<T, long> id)
    {
        var more = rows.Count > PageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new PageOf<T>(rows, Page, PageSize, total)
        {
            NextCursor = more ? id(rows[^1]).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            TotalIsEstimate = totalIsEstimate,
        };
    }
}
