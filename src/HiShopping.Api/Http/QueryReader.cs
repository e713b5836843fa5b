using System.Globalization;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Http;

/// <summary>Reads and checks query parameters; collects every problem and answers 4000 with all of them.</summary>
public sealed class QueryReader(HttpRequest request)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    private readonly Dictionary<string, List<string>> _errors = [];

    public string? String(string name, int maxLength = 200)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0) return null;
        if (value.Length > maxLength) Error(name, $"{name} must be at most {maxLength} characters.");
        return value;
    }

    public (int Page, int PageSize) Paging()
    {
        var page = Int("page", 1, 1, 1_000_000);
        var size = Int("page_size", DefaultPageSize, 1, MaxPageSize);
        return (page, size);
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return fallback;
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        Error(name, $"{name} must be a whole number from {min} to {max}.");
        return fallback;
    }

    public long? Money(string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (Store.Money.TryParse(raw, out var minor)) return minor;
        Error(name, $"{name} must be an amount like 12.50.");
        return null;
    }

    public string? OneOf(string name, IReadOnlyCollection<string> allowed)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (allowed.Contains(raw)) return raw;
        Error(name, $"{name} must be one of: {string.Join(", ", allowed)}.");
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

    public void Error(string field, string message) =>
        (_errors.TryGetValue(field, out var list) ? list : _errors[field] = []).Add(message);

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw HiShopException.Invalid(_errors);
    }
}
