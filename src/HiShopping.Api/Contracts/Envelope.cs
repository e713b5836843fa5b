namespace HiShopping.Api.Contracts;

/// <summary>The shape of every answer of <c>/api/**</c> (SPEC §2): <c>{code, message, data, request_id}</c>.</summary>
public sealed record Envelope<T>(int Code, string Message, T? Data, string RequestId);

/// <summary>
/// One page of a list: <c>{items, page, page_size, total}</c>, and on lists walked by keyset (transactions)
/// <c>next_cursor</c> while there is a next page.
/// </summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? NextCursor { get; init; }

    /// <summary>Present (true) only when the list stopped counting: there are more than <c>total</c> (goods lists count up to 10,000).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool TotalIsEstimate { get; init; }

    public static PageResponse<T> From<TSource>(Store.PageOf<TSource> page, Func<TSource, T> map) =>
        new(page.Items.Select(map).ToList(), page.Page, page.PageSize, page.Total) { NextCursor = page.NextCursor, TotalIsEstimate = page.TotalIsEstimate };
}

/// <summary>The <c>data</c> of a 1004: the headers that were missing.</summary>
public sealed record MissingHeaders(IReadOnlyList<string> Missing);

/// <summary>The <c>data</c> of a 1001 for a wrong signature: the server's canonical string (it holds no secret).</summary>
public sealed record SignatureMismatch(string CanonicalString);

/// <summary>The <c>data</c> of a 1001 for a timestamp outside the window: the server's clock, Unix seconds.</summary>
public sealed record ServerTime([property: System.Text.Json.Serialization.JsonPropertyName("server_time")] long Seconds);

/// <summary>The <c>data</c> of a 3004: a captcha must be solved.</summary>
public sealed record CaptchaNeeded(bool CaptchaRequired);
