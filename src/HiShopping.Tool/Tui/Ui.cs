using System.Globalization;
using HiShopping.Api.Contracts;
using HiShopping.Store;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui;

/// <summary>Small pieces every screen uses: background work, errors as messages, confirmations, forms, tables.</summary>
public static partial class Ui
{
    /// <summary>For labels that show data: '_' in an App ID or a key is text, not a hot-key marker.</summary>
    public static readonly System.Text.Rune NoHotKey = new(0xFFFF);

    /// <summary>
    /// Runs <paramref name="work"/> off the UI thread and hands its result to <paramref name="done"/> on the UI thread;
    /// a failure becomes a message box, never a crash (<paramref name="failed"/> runs before it). With
    /// <paramref name="again"/> a failure is no box: it gets the message in words instead (a form reopens with what was
    /// typed and the server's answer under it). The screen stays responsive meanwhile.
    /// </summary>
    public static void Background<T>(IApplication app, Func<Task<T>> work, Action<T> done, Action? failed = null, Action<string>? again = null)
    {
        _ = Task.Run(async () =>
        {
            Action after;
            try
            {
                var result = await work();
                after = () => Guard(app, () => done(result));
            }
            catch (Exception e)
            {
                after = () =>
                {
                    failed?.Invoke();
                    if (again is null) Error(app, e);
                    else again(Message(e));
                };
            }
            // The console may have quit while the work ran: then there is nobody left to tell.
            try { app.Invoke(after); }
            catch (NotInitializedException) { }
        });
    }

    public static void Background(IApplication app, Func<Task> work, Action done, Action? failed = null, Action<string>? again = null) =>
        Background(app, async () => { await work(); return true; }, _ => done(), failed, again);

    /// <summary>Runs UI code; an exception becomes a message instead of tearing the console down.</summary>
    public static void Guard(IApplication app, Action action)
    {
        try { action(); }
        catch (Exception e) { Error(app, e); }
    }

    /// <summary>What went wrong, in words a person uses.</summary>
    public static string Message(Exception e) => Words(e switch
    {
        HiShopException { Payload: FieldErrors fields } h => $"{h.Message}{Lines(fields)}",
        HiShopException h => h.Message,
        _ => $"Something went wrong: {e.Message}",
    });

    public static void Error(IApplication app, Exception e)
    {
        var message = Message(e);
        // One failure often reaches several loads at once (F5 on a screen that loads two lists from a dead server):
        // the same message is shown once, not stacked.
        if (message == _showing) return;
        _showing = message;
        try { MessageBox.ErrorQuery(app, "Error", message, "OK"); }
        finally { _showing = null; }
    }

    private static string? _showing;

    /// <summary>
    /// The API names fields as the wire does (<c>notify_url must be…</c>); a person reads "Notify URL must be…".
    /// </summary>
    public static string Words(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"(?<![\w/.])[a-z]+(?:_[a-z0-9]+)+\b", m =>
        {
            var words = m.Value.Split('_').Select(w => w switch { "url" => "URL", "ip" => "IP", "id" => "ID", "bps" => "(basis points)", _ => w });
            var text = string.Join(' ', words);
            var start = m.Index == 0 || message[..m.Index].TrimEnd().EndsWith('.');
            return start ? char.ToUpperInvariant(text[0]) + text[1..] : text;
        });

    private static string Lines(FieldErrors fields)
    {
        var lines = fields.Errors.Values.SelectMany(m => m).Distinct().ToList();
        return lines.Count <= 1 ? "" : "\n" + string.Join("\n", lines);
    }

    /// <summary>
    /// A left-aligned text in a dialog with one Close button (help, goods and order details), its long lines wrapped at
    /// word boundaries to the terminal's width, so nothing is cut off at 80 columns.
    /// </summary>
    public static void Document(IApplication app, string title, string text)
    {
        var dialog = new Dialog { Title = title };
        var width = Math.Max(20, app.Screen.Width - 8);
        var lines = text.TrimEnd().Split('\n').SelectMany(line => Wrap(line.TrimEnd('\r'), width)).ToArray();
        // Taller than the terminal leaves room for (a goods with many SKUs): a list the arrows and PgDn scroll, so no
        // line is ever out of reach.
        var room = Math.Max(3, app.Screen.Height - 7);
        if (lines.Length > room)
            dialog.Add(new ListView
            {
                X = 1, Y = 0, Width = lines.Max(l => l.Length) + 1, Height = room, CanFocus = true,
                Source = new ListWrapper<string>(new System.Collections.ObjectModel.ObservableCollection<string>(lines)),
            });
        else
            dialog.Add(new Label { HotKeySpecifier = NoHotKey, Text = string.Join('\n', lines), X = 1, Y = 0, Width = Dim.Auto(), Height = lines.Length });
        dialog.AddButton(new Button { Text = "Close" });
        app.Run(dialog);
        dialog.Dispose();
    }

    /// <summary>Splits a line into lines of at most <paramref name="width"/> characters, between words where it can.</summary>
    public static IEnumerable<string> Wrap(string line, int width)
    {
        while (line.Length > width)
        {
            var cut = line.LastIndexOf(' ', width);
            if (cut <= 0) cut = width;
            yield return line[..cut].TrimEnd();
            line = "  " + line[cut..].TrimStart();
        }
        yield return line;
    }

    /// <summary>
    /// Asks before an action that changes something. "No" is the default button (Terminal.Gui makes the last one the
    /// default): Enter, Enter never regenerates a key or disables an app; the action takes a deliberate ← or Tab first.
    /// </summary>
    public static bool Confirm(IApplication app, string title, string message, string yes = "Yes") =>
        MessageBox.Query(app, title, message, yes, "No") == 0;

    public static void Info(IApplication app, string title, string message) => MessageBox.Query(app, title, message, "OK");

    /// <summary>Shows a secret in full, once, with a warning that it will not be shown again.</summary>
    public static void ShowOnce(IApplication app, string title, string secret) =>
        MessageBox.Query(app, title, $"{secret}\n\nCopy it now: it is shown only this once.", "Done");

    /// <summary>A modal form of labelled text fields; null when cancelled.</summary>
    public static string[]? Form(IApplication app, string title, params (string Label, string Value, bool Secret)[] fields) => Form(app, title, null, fields);

    /// <summary>
    /// A modal form whose values <paramref name="check"/> judges before it closes: a problem (in words, not field names)
    /// shows under the fields, the dialog stays open and keeps what was typed. Null when cancelled.
    /// </summary>
    public static string[]? Form(IApplication app, string title, Func<string[], string?>? check, params (string Label, string Value, bool Secret)[] fields) =>
        Form(app, title, check, null, fields);

    /// <summary>The form again, with <paramref name="problem"/> (the server's answer to what was typed) under the fields.</summary>
    public static string[]? Form(IApplication app, string title, Func<string[], string?>? check, string? problem, (string Label, string Value, bool Secret)[] fields)
    {
        var dialog = new Dialog { Title = title };
        var width = fields.Max(f => f.Label.Length) + 2;
        var inputs = new List<TextField>();
        for (var i = 0; i < fields.Length; i++)
        {
            var label = new Label { HotKeySpecifier = NoHotKey, Text = fields[i].Label, X = 1, Y = i * 2 };
            var input = new TextField { Text = fields[i].Value, Secret = fields[i].Secret, X = width + 1, Y = i * 2, Width = 36 };
            dialog.Add(label, input);
            inputs.Add(input);
        }
        var said = new Label { HotKeySpecifier = NoHotKey, Text = problem is null ? "" : "! " + problem, X = 1, Y = fields.Length * 2, Width = width + 37, Height = 2 };
        dialog.Add(said);
        // "Back", not "Cancel": on a form that cancels an order, "Cancel" would say the opposite of what it does.
        dialog.AddButton(new Button { ShadowStyle = ShadowStyles.None, Text = "Back" });
        dialog.AddButton(new Button { ShadowStyle = ShadowStyles.None, Text = "OK" });
        string[]? result;
        while (true)
        {
            app.Run(dialog);
            result = dialog.Canceled ? null : inputs.Select(i => i.Text ?? "").ToArray();
            if (result is null || check?.Invoke(result) is not { } message) break;
            said.Text = "! " + message;
        }
        dialog.Dispose();
        return result;
    }

    /// <summary>
    /// Fills a table with rows, one column per (header, value) pair. Columns of numbers (amounts, counts, ids) are
    /// right-aligned, so that their digits line up.
    /// </summary>
    public static void Fill<T>(TableView table, IReadOnlyList<T> rows, params (string Header, Func<T, object?> Value)[] columns)
    {
        var map = new Dictionary<string, Func<T, object>>();
        foreach (var (header, value) in columns) map[header] = row => value(row) ?? "";
        // The styles first: the table lays its columns out when it gets its rows.
        table.Style.ColumnStyles.Clear();
        for (var c = 0; c < columns.Length; c++)
        {
            var value = columns[c].Value;
            if (rows.Count > 0 && rows.All(r => IsNumber(value(r))))
                table.Style.ColumnStyles[c] = new ColumnStyle { Alignment = Alignment.End };
        }
        table.Table = new EnumerableTableSource<T>(rows, map);
        table.SetNeedsDraw();
    }

    private static bool IsNumber(object? value) => value switch
    {
        int or long or decimal => true,
        string s => NumberText().IsMatch(s),
        _ => false,
    };

    /// <summary>An amount or a count as this console writes them: <c>-1,234.50</c>, <c>12</c> (not a date like 2025-11-28).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^-?\d{1,3}(,\d{3})*(\.\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex NumberText();

    /// <summary>
    /// Refills a list and keeps the cursor on the same row (by <paramref name="key"/>) when it is still there, else on the
    /// same position: after an action and its refresh the next action applies to the row the user was on.
    /// </summary>
    public static void Refill<T>(TableView table, IReadOnlyList<T> before, IReadOnlyList<T> rows, Func<T, object> key,
        params (string Header, Func<T, object?> Value)[] columns)
    {
        var at = SelectedRow(table);
        var selected = at is { } i && i < before.Count ? key(before[i]) : null;
        Fill(table, rows, columns);
        if (rows.Count == 0 || at is null) return;
        var index = selected is null ? -1 : rows.ToList().FindIndex(r => Equals(key(r), selected));
        table.SetSelection(0, index >= 0 ? index : Math.Min(at.Value, rows.Count - 1), false, null);
        table.EnsureCursorIsVisible();
    }

    /// <summary>
    /// A line of buttons at <paramref name="y"/>, after <paramref name="after"/> (or from the left), each acting on the
    /// list's selected row — or saying "Select a … first." when there is none. Returns the last button.
    /// </summary>
    public static View? RowButtons<T>(View host, IApplication app, Func<T?> selected, string title, string noun, Pos y, View? after,
        params (string Text, Action<T> Act)[] actions) where T : class
    {
        foreach (var (text, act) in actions)
        {
            var button = new Button { ShadowStyle = ShadowStyles.None, Text = text, X = after is null ? 0 : Pos.Right(after) + 1, Y = y };
            button.Accepting += (_, e) =>
            {
                e.Handled = true;
                if (selected() is { } row) act(row);
                else Info(app, title, $"Select {(noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {noun} first.");
            };
            host.Add(button);
            after = button;
        }
        return after;
    }

    /// <summary>Ctrl+PgDn / Ctrl+PgUp in a list: the next / previous page (as the list's Next and Prev buttons).</summary>
    public static void PageKeys(TableView table, Action next, Action previous) => table.KeyDown += (_, key) =>
    {
        if (key == Terminal.Gui.Input.Key.PageDown.WithCtrl) { next(); key.Handled = true; }
        if (key == Terminal.Gui.Input.Key.PageUp.WithCtrl) { previous(); key.Handled = true; }
    };

    /// <summary>Ctrl+PgDn / Ctrl+PgUp in a list press its Next / Prev button.</summary>
    public static void PageKeys(TableView table, Button next, Button previous) =>
        PageKeys(table, () => next.InvokeCommand(Terminal.Gui.Input.Command.Accept), () => previous.InvokeCommand(Terminal.Gui.Input.Command.Accept));

    public static int? SelectedRow(TableView table) => table.Value?.SelectedCell.Y is int row && row >= 0 ? row : null;

    /// <summary>Money as people read it: thousands separated, two decimals (<c>1,100,000,000.00</c>). CSV and JSON keep the plain form.</summary>
    public static string Money(long minor) =>
        (minor < 0 ? "-" : "") + (Math.Abs((decimal)minor) / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Money(Amount amount) => Money(amount.Minor);

    /// <summary>
    /// Top-ups and adjustments from this amount up (minor units) ask for the amount again before the confirmation:
    /// <c>--large-amount</c>, <c>HISHOP_LARGE_AMOUNT</c> or <c>large_amount</c> in hishop.json; 100,000.00 by default.
    /// </summary>
    public static long LargeAmount { get; set; } = DefaultLargeAmount;

    public const long DefaultLargeAmount = 100_000_00;

    /// <summary>
    /// Reads an amount as a person types it, and as this console shows it: <c>1250.50</c> or <c>1,250.50</c>
    /// (commas only as thousands separators); negative only when <paramref name="signed"/>.
    /// </summary>
    public static bool TryAmount(string? text, bool signed, out long minor)
    {
        minor = 0;
        var t = (text ?? "").Trim();
        if (t.Contains(',')) { if (!NumberText().IsMatch(t)) return false; t = t.Replace(",", "", StringComparison.Ordinal); }
        return Store.Money.TryParse(t, out minor, allowNegative: signed);
    }

    /// <summary>Why <paramref name="text"/> is not an amount this form takes, or null when it is.</summary>
    public static string? AmountProblem(string? text, bool signed, bool positive, string example)
    {
        if (TryAmount(text, signed, out var minor)) return positive && minor <= 0 ? $"The amount must be more than 0.00, like {example}." : null;
        if (!signed && TryAmount(text, true, out _)) return $"The amount cannot be negative: type it like {example}.";
        return $"Type an amount with at most two decimals, like {example}.";
    }

    /// <summary>
    /// The line under every list: <c>page 2 of 7 · 1,204 goods</c> (<c>2/7 · …</c> on narrow terminals),
    /// <c>10,000+</c> when the list stopped counting, and "1 merchant", not "1 merchants".
    /// </summary>
    public static string PageLine<T>(IApplication app, PageResponse<T> page, string singular, string plural)
    {
        var pages = Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize);
        var count = $"{Count(page.Total)}{(page.TotalIsEstimate ? "+" : "")} {(page.Total == 1 && !page.TotalIsEstimate ? singular : plural)}";
        return Narrow(app) ? $"{page.Page}/{pages} · {count}" : $"page {page.Page} of {pages} · {count}";
    }

    public static string Count(long n) => n.ToString("#,##0", CultureInfo.InvariantCulture);

    /// <summary>
    /// The zone times are shown in: <c>--tz</c> or <c>HISHOP_TZ</c> (or <c>tz</c> in hishop.json) when given, else the
    /// system's own (<c>TZ</c>). The header names it.
    /// </summary>
    public static TimeZoneInfo Zone { get; set; } = TimeZoneInfo.Local;

    /// <summary>The zone as the header shows it: <c>UTC</c>, or <c>Europe/Berlin UTC+01:00</c>.</summary>
    public static string ZoneLabel => Label(Zone);

    public static string Label(TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(DateTime.UtcNow);
        if (zone.Id is "UTC" or "Etc/UTC" or "Etc/Universal" or "Universal" || zone.Id == TimeZoneInfo.Utc.Id) return "UTC";
        return $"{zone.Id} UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";
    }

    private static DateTime Local(DateTimeOffset at, TimeZoneInfo? zone = null) => TimeZoneInfo.ConvertTime(at, zone ?? Zone).DateTime;

    /// <summary>Date and time in the console's zone (or <paramref name="zone"/>).</summary>
    public static string Date(DateTimeOffset? at, TimeZoneInfo? zone = null) =>
        at is { } t ? Local(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>A shorter date for narrow terminals: month, day and time this year; the year (and no time) for other years.</summary>
    public static string ShortDate(DateTimeOffset? at, TimeZoneInfo? zone = null, DateTimeOffset? now = null)
    {
        if (at is not { } t) return "";
        var local = Local(t, zone);
        return local.Year == Local(now ?? DateTimeOffset.UtcNow, zone).Year
            ? local.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>A moment soon to come or just past (a lock's end): the time today, else the date and time.</summary>
    public static string Time(DateTimeOffset at)
    {
        var local = Local(at);
        return local.Date == Local(DateTimeOffset.UtcNow).Date ? local.ToString("HH:mm", CultureInfo.InvariantCulture) : Date(at);
    }

    /// <summary>True on terminals under 100 columns, where tables use shorter headers and dates.</summary>
    public static bool Narrow(IApplication app) => app.Screen.Width < 100;

    /// <summary>A text bar of <paramref name="width"/> cells filled to <paramref name="fraction"/>.</summary>
    public static string Bar(decimal fraction, int width)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0m, 1m) * width);
        return new string('█', filled) + new string('░', width - filled);
    }

    /// <summary>One character per value, eight heights: a spark line.</summary>
    public static string Spark(IEnumerable<long> values)
    {
        const string levels = "▁▂▃▄▅▆▇█";
        var list = values.ToList();
        var max = list.Count == 0 ? 0 : list.Max();
        return new string(list.Select(v => v <= 0 ? ' ' : levels[(int)Math.Min(7, v * 8 / Math.Max(1, max + 1))]).ToArray());
    }

    public static View Field(string label, out Label value, int y, int labelWidth = 16)
    {
        var row = new View { X = 0, Y = y, Width = Dim.Fill(), Height = 1 };
        value = new Label { HotKeySpecifier = NoHotKey, X = labelWidth, Y = 0, Width = Dim.Fill(), Text = "…" };
        row.Add(new Label { HotKeySpecifier = NoHotKey, X = 0, Y = 0, Text = label }, value);
        return row;
    }
}
