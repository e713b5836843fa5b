using System.Globalization;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Http;

/// <summary>
/// Turns query parameters into typed values, answering 4000 for what cannot be read at all (a page that is not a
/// number, a date that is not a date). The limits — page sizes, lengths, allowed values — are the services' rules.
/// </summary>
public sealed class QueryReader(HttpRequest request)
{
    private readonly Validation _errors = new();

    public string? String(string name)
    {
        var value = request.Query[name].ToString();
        return value.Length == 0 ? null : value;
    }

    /// <summary>page and page_size (defaults 1 and 20) into a query's paging.</summary>
    public T Paged<T>(T query) where T : PagedQuery =>
        query with { Page = Int("page") ?? 1, PageSize = Int("page_size") ?? Rules.DefaultPageSize };

    public int? Int(string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        Error(name, $"{name} must be a whole number.");
        return null;
    }

    public long? Long(string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        Error(name, $"{name} must be a whole number.");
        return null;
    }

    public long? Money(string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (Store.Money.TryParse(raw, out var minor)) return minor;
        Error(name, $"{name} must be an amount like 12.50.");
        return null;
    }

    /// <summary>An ISO 8601 date or time, or Unix milliseconds; a bare date as <c>to</c> means the end of that day.</summary>
    public long? Time(string name, bool endOfDay = false)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return ms;
        if (Times.TryParseDay(raw, endOfDay, out var day)) return day;
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)) return dto.ToUnixTimeMilliseconds();
        Error(name, $"{name} must be a date (2026-11-28), an ISO 8601 time or Unix milliseconds.");
        return null;
    }

    public void Error(string field, string message) => _errors.Add(field, message);

    public void ThrowIfInvalid() => _errors.ThrowIfInvalid();
}
