using System.Globalization;
using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Store;

namespace HiShopping.Tool.Cli;

/// <summary>How lists and shows print: aligned tables for people, JSON (<c>--json</c>) for scripts.</summary>
public static class Output
{
    public static readonly System.CommandLine.Option<bool> Json = new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>The line under a listed page: where it is, how many in all, and how to ask for the next one.</summary>
    public static string ListFooter<T>(PageOf<T> page, string things)
    {
        var total = page.TotalIsEstimate
            ? $"more than {page.Total.ToString("N0", CultureInfo.InvariantCulture)} {things}"
            : $"{page.Total} {things}";
        var where = page.TotalIsEstimate ? $"page {page.Page}" : $"page {page.Page} of {Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize)}";
        return page.NextCursor is null ? $"{where}, {total}" : $"{where}, {total}; next page: --cursor {page.NextCursor}";
    }

    public static void Table(TextWriter output, string[] headers, IEnumerable<string?[]> rows)
    {
        var all = rows.Select(r => r.Select(c => c ?? "").ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(headers));
        foreach (var row in all) output.WriteLine(Line(row));
    }

    /// <summary>Label/value pairs, one per line, labels aligned.</summary>
    public static void Fields(TextWriter output, IEnumerable<(string Label, string? Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Max(f => f.Label.Length);
        foreach (var (label, value) in list) output.WriteLine($"{(label + ":").PadRight(width + 1)} {value}");
    }

    /// <summary>The same JSON the API answers with (the contract records and their one serializer), indented.</summary>
    public static void WriteJson<T>(TextWriter output, T value) =>
        output.WriteLine(JsonSerializer.Serialize(value, ApiJsonContext.Info<T>(ApiJsonContext.Indented)));
}
