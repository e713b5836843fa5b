using HiShopping.Api.Contracts;
using HiShopping.Store;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>
/// The ledger: every entry with paging, filters for type and dates, and CSV export. The merchant's own
/// (Transactions), or for operators any merchant's (Ledger, chosen on the Merchants screen with Alt+G).
/// </summary>
public sealed class TransactionsScreen : Screen
{
    private readonly IOperatorConsole? _op;
    private readonly Label _who;
    private Api.Features.Merchant.MerchantSummaryResponse? _merchant;

    private static readonly string[] Types = ["All", .. LedgerTypes.All];
    private readonly Button _type;
    private readonly TextField _from, _to;
    private readonly TableView _table;
    private readonly Label _page;
    private int _typeIndex;
    private int _pageNo = 1;
    private long _total;

    /// <summary>The operator's view of one merchant's ledger at a time.</summary>
    public TransactionsScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : this(app, client, "Ledger")
    {
        _op = op;
        _who.Text = "No merchant yet: Alt+G on Merchants.";
    }

    public TransactionsScreen(IApplication app, IConsoleClient client) : this(app, client, "Transactions") { }

    private TransactionsScreen(IApplication app, IConsoleClient client, string name) : base(app, client, name)
    {
        _type = new Button { ShadowStyle = ShadowStyles.None, Text = "Type: All", X = 0, Y = 0 };
        _from = new TextField { X = Pos.Right(_type) + 7, Y = 0, Width = 11 };
        _to = new TextField { X = Pos.Right(_from) + 5, Y = 0, Width = 11 };
        var apply = new Button { ShadowStyle = ShadowStyles.None, Text = "_Apply", X = Pos.Right(_to) + 1, Y = 0 };
        var export = new Button { ShadowStyle = ShadowStyles.None, Text = "_Export CSV", X = 0, Y = 1 };
        _who = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(export) + 2, Y = 1, Width = Dim.Fill() };
        Add(export, _who);
        Add(_type, new Label { HotKeySpecifier = Ui.NoHotKey, Text = "From:", X = Pos.Right(_type) + 1, Y = 0 }, _from, new Label { HotKeySpecifier = Ui.NoHotKey, Text = "To:", X = Pos.Right(_from) + 1, Y = 0 }, _to, apply);
        _table = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 2, Width = Dim.Fill(), Height = Dim.Fill(2), FullRowSelect = true };
        var prev = new Button { ShadowStyle = ShadowStyles.None, Text = "< _Prev", X = 0, Y = Pos.AnchorEnd(1) };
        var next = new Button { ShadowStyle = ShadowStyles.None, Text = "_Next >", X = Pos.Right(prev) + 1, Y = Pos.AnchorEnd(1) };
        _page = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(next) + 2, Y = Pos.AnchorEnd(1), Width = Dim.Fill() };
        Add(_table, prev, next, _page);

        _type.Accepting += (_, e) =>
        {
            e.Handled = true;
            _typeIndex = (_typeIndex + 1) % Types.Length;
            _type.Text = "Type: " + Types[_typeIndex];
            _pageNo = 1;
            Refresh();
        };
        apply.Accepting += (_, e) => { e.Handled = true; _pageNo = 1; Refresh(); };
        // Enter in a date field applies the filters, as the Apply button does.
        foreach (var field in new[] { _from, _to })
            field.Accepting += (_, e) => { e.Handled = true; _pageNo = 1; Refresh(); _table.SetFocus(); };
        export.Accepting += (_, e) => { e.Handled = true; Export(); };
        prev.Accepting += (_, e) => { e.Handled = true; if (_pageNo > 1) { _pageNo--; Refresh(); } };
        next.Accepting += (_, e) => { e.Handled = true; if (_pageNo * PageSize < _total) { _pageNo++; Refresh(); } };
        Ui.PageKeys(_table, next, prev);
    }

    private const int PageSize = 20;

    public override string Keys => "Enter on Type cycles All/TOPUP/ORDER/REFUND/ADJUST · From/To take 2026-11-28 (Enter applies) · Alt+P / Alt+N or Ctrl+PgUp / Ctrl+PgDn page · Alt+E exports CSV";

    /// <summary>Every entry matching the filters (all pages) into a CSV file the user names.</summary>
    private void Export()
    {
        if (_op is not null && _merchant is null) { Ui.Info(App, "Export", _who.Text); return; }
        if (!TryDate(_from.Text, false, out var from) || !TryDate(_to.Text, true, out var to))
        {
            Ui.Info(App, "Export", "Dates are written like 2026-11-28.");
            return;
        }
        var suggested = Path.Combine(Environment.CurrentDirectory, $"transactions-{DateTime.UtcNow:yyyyMMdd}.csv");
        if (Ui.Form(App, "Export transactions as CSV", ("File", suggested, false)) is not { } v || string.IsNullOrWhiteSpace(v[0])) return;
        var path = Path.GetFullPath(v[0].Trim());
        if (File.Exists(path) && !Ui.Confirm(App, "Export", $"{path} exists. Replace it?", "Replace")) return;
        var filter = new TransactionQuery { Type = _typeIndex == 0 ? null : Types[_typeIndex], From = from, To = to };
        var merchant = _merchant;
        Ui.Background(App, () => _op is null ? Client.ExportTransactionsAsync(filter, path) : _op.ExportMerchantTransactionsAsync(merchant!.MerchantId, filter, path),
            () => Ui.Info(App, "Export", $"Wrote {path}"));
    }

    public override void FocusPrimary() => _table.SetFocus();

    public override bool FocusSearch()
    {
        _from.SetFocus();
        return true;
    }

    /// <summary>Shows this merchant's ledger from its first page (operators).</summary>
    public void ShowMerchant(Api.Features.Merchant.MerchantSummaryResponse merchant)
    {
        _merchant = merchant;
        _who.Text = $"{merchant.Email} · {merchant.CompanyName}";
        _pageNo = 1;
        Refresh();
    }

    /// <summary>Each load's number: a page that arrives after a newer load was started (another merchant, another page) is dropped.</summary>
    private int _generation;

    public override void Refresh()
    {
        if (_op is not null && _merchant is null) return;
        long? from = null, to = null;
        if (!TryDate(_from.Text, false, out from) || !TryDate(_to.Text, true, out to))
        {
            Ui.Info(App, "Filter", "Dates are written like 2026-11-28.");
            return;
        }
        var query = new TransactionQuery { Page = _pageNo, PageSize = PageSize, Type = _typeIndex == 0 ? null : Types[_typeIndex], From = from, To = to };
        var merchant = _merchant;
        var generation = ++_generation;
        Load(() => _op is null ? Client.TransactionsAsync(query) : _op.MerchantTransactionsAsync(merchant!.MerchantId, query), page =>
        {
            if (generation != _generation) return;
            _total = page.Total;
            var narrow = Ui.Narrow(App);
            Ui.Fill(_table, page.Items,
                ("Reference No", e => e.ReferenceNo), ("Type", e => e.Type), ("Amount", e => Ui.Money(e.Amount)),
                (narrow ? "Before" : "Balance Before", e => Ui.Money(e.BalanceBefore)), (narrow ? "After" : "Balance After", e => Ui.Money(e.BalanceAfter)),
                ("Date", e => narrow ? Ui.ShortDate(e.CreatedAt) : Ui.Date(e.CreatedAt)), ("Order No", e => e.OrderNo), ("Memo", e => e.Memo));
            _page.Text = Ui.PageLine(App, page, "entry", "entries");
        });
    }

    /// <summary>An empty field is no filter; anything else must be a day like 2026-11-28.</summary>
    private static bool TryDate(string? text, bool endOfDay, out long? ms)
    {
        ms = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Times.TryParseDay(text, endOfDay, out var day)) return false;
        ms = day;
        return true;
    }
}
