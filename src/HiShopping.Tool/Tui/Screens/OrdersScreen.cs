using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Orders;
using System.Text;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Orders with a status filter and search; Enter shows items, shipping, history and tracking.</summary>
public class OrdersScreen : Screen
{
    private static readonly string[] Statuses = ["All", .. OrderStatuses.All];
    private readonly Button _status;
    private readonly TextField _search;
    private readonly Label _page;
    private int _statusIndex;
    private int _pageNo = 1;
    private bool _more;
    private const int PageSize = 50;

    public OrdersScreen(IApplication app, IConsoleClient client, string name = "Orders") : base(app, client, name)
    {
        _status = new Button { ShadowStyle = ShadowStyles.None, Text = "Status: All", X = 0, Y = 0 };
        _search = new TextField { X = Pos.Right(_status) + 9, Y = 0, Width = Dim.Fill(1) };
        Table = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 2, Width = Dim.Fill(), Height = Dim.Fill(Footer + 1), FullRowSelect = true };
        var prev = new Button { ShadowStyle = ShadowStyles.None, Text = "< _Prev", X = 0, Y = Pos.AnchorEnd(1) };
        var next = new Button { ShadowStyle = ShadowStyles.None, Text = "_Next >", X = Pos.Right(prev) + 1, Y = Pos.AnchorEnd(1) };
        _page = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(next) + 2, Y = Pos.AnchorEnd(1), Width = Dim.Fill() };
        Add(_status, new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Search:", X = Pos.Right(_status) + 1, Y = 0 }, _search, Table, prev, next, _page);
        prev.Accepting += (_, e) => { e.Handled = true; Turn(-1); };
        next.Accepting += (_, e) => { e.Handled = true; Turn(+1); };

        _status.Accepting += (_, e) =>
        {
            e.Handled = true;
            _statusIndex = (_statusIndex + 1) % Statuses.Length;
            _status.Text = "Status: " + Statuses[_statusIndex];
            _pageNo = 1;
            Refresh();
        };
        _search.Accepting += (_, e) => { e.Handled = true; _pageNo = 1; Refresh(); Table.SetFocus(); };
        Table.Accepting += (_, e) => { e.Handled = true; if (Selected is { } o) ShowDetail(o.OrderNo); };
        Ui.PageKeys(Table, () => Turn(+1), () => Turn(-1));
    }

    protected TableView Table { get; }

    /// <summary>From the first page again (a filter changed).</summary>
    protected void Reload()
    {
        _pageNo = 1;
        Refresh();
    }

    /// <summary>The next (+1) or previous (−1) page, when there is one.</summary>
    private void Turn(int by)
    {
        var pageNo = _pageNo + by;
        // Past a capped count (total_is_estimate) the list goes on as long as pages come back full.
        if (pageNo < 1 || (by > 0 && !_more)) return;
        _pageNo = pageNo;
        Refresh();
    }

    /// <summary>The operator's merchant filter (null: every merchant's orders), and whether the list names the merchant.</summary>
    protected virtual long? MerchantFilter => null;

    protected virtual bool ShowsMerchant => false;

    /// <summary>Rows the subclass keeps below the table for its own buttons.</summary>
    protected virtual int Footer => 0;

    protected IReadOnlyList<OrderSummaryResponse> Rows { get; private set; } = [];

    protected OrderSummaryResponse? Selected => Ui.SelectedRow(Table) is { } row && row < Rows.Count ? Rows[row] : null;

    public override string Keys => "Enter on Status cycles paid/processing/shipped/delivered/cancelled · / searches order numbers · Enter opens an order · Alt+P / Alt+N or Ctrl+PgUp / Ctrl+PgDn page";

    public override void FocusPrimary() => Table.SetFocus();

    public override bool FocusSearch()
    {
        _search.SetFocus();
        return true;
    }

    protected virtual Task<PageResponse<OrderSummaryResponse>> Fetch(OrderQuery query) => Client.OrdersAsync(query);

    protected virtual Task<OrderDetailResponse?> FetchOne(string orderNo) => Client.OrderAsync(orderNo);

    public override void Refresh()
    {
        var query = new OrderQuery
        {
            Page = _pageNo, PageSize = PageSize, Status = _statusIndex == 0 ? null : Statuses[_statusIndex],
            Keyword = string.IsNullOrWhiteSpace(_search.Text) ? null : _search.Text.Trim(), MerchantId = MerchantFilter,
        };
        Load(() => Fetch(query), page =>
        {
            var before = Rows;
            Rows = page.Items;
            _more = page.TotalIsEstimate ? page.Items.Count == PageSize : (long)page.Page * PageSize < page.Total;
            var narrow = Ui.Narrow(App);
            (string, Func<OrderSummaryResponse, object?>)[] columns =
            [
                ("Order No", o => o.OrderNo), ("Status", o => o.Status), ("Total", o => Ui.Money(o.TotalAmount)),
                ("Created", o => narrow ? Ui.ShortDate(o.CreatedAt) : Ui.Date(o.CreatedAt)), ("Merchant Order No", o => o.MerchantOrderNo), ("Items", o => o.ItemCount),
            ];
            // Operators see whose order it is right after the number.
            if (ShowsMerchant) columns = [columns[0], ("Merchant", o => o.MerchantId), .. columns[1..]];
            Ui.Refill(Table, before, page.Items, o => o.OrderNo, columns);
            // A filtered list says whose orders it shows: "0 orders · merchant 7" is not "no orders at all".
            _page.Text = Ui.PageLine(App, page, "order", "orders") + (MerchantFilter is { } m ? $" · merchant {m}" : "");
        });
    }

    protected void ShowDetail(string orderNo) => Load(() => FetchOne(orderNo), detail =>
    {
        if (detail is null) { Ui.Info(App, "Order", $"Order {orderNo} not found."); return; }
        Ui.Document(App, $"Order {detail.OrderNo}", Describe(detail));
    });

    public static string Describe(OrderDetailResponse d)
    {
        var s = d.Shipping;
        var text = new StringBuilder();
        text.AppendLine($"{d.Status} · merchant order {d.MerchantOrderNo} · {Ui.Date(d.CreatedAt)}");
        text.AppendLine($"goods {Ui.Money(d.GoodsAmount)} + fee {Ui.Money(d.Fee)} = {Ui.Money(d.TotalAmount)} {d.Currency}");
        text.AppendLine();
        foreach (var i in d.Items) text.AppendLine($"{i.Quantity} × {i.Title} ({i.SkuId}) {Ui.Money(i.UnitPrice)} = {Ui.Money(i.Amount)}");
        text.AppendLine();
        text.AppendLine($"Ship to {s.Name}, {s.Address1}{(s.Address2 is null ? "" : ", " + s.Address2)}, {s.PostalCode} {s.City}, {s.State}, {s.Country}");
        text.AppendLine(d.Tracking is null ? "Tracking: not shipped yet" : $"Tracking: {d.Tracking.Carrier} {d.Tracking.TrackingNo}");
        text.AppendLine();
        foreach (var h in d.History) text.AppendLine($"{Ui.Date(h.At)}  {h.Status,-10} {h.Note}");
        if (d.LedgerReferences.Count > 0) text.AppendLine("Ledger: " + string.Join(", ", d.LedgerReferences.Select(e => $"{e.ReferenceNo} {e.Type} {Ui.Money(e.Amount)}")));
        return text.ToString();
    }
}
