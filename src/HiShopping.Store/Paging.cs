namespace HiShopping.Store;

/// <summary>
/// One page of a list: its items, where it is, and how many there are in all. Lists that can be walked by keyset
/// (the ledger) also give <see cref="NextCursor"/>: pass it back as the cursor for the next page; null at the end.
/// </summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total)
{
    public string? NextCursor { get; init; }

    /// <summary>True when there are more than <see cref="Total"/> (goods lists stop counting at 10,000).</summary>
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
