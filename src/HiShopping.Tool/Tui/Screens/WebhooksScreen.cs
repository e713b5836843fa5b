using HiShopping.Api.Features.Webhooks;
using HiShopping.Store.Webhooks;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>The merchant's webhook deliveries: where each event stands, a retry, a test ping to notify_url.</summary>
public sealed class WebhooksScreen : Screen
{
    private static readonly string[] Statuses = ["All", .. DeliveryStatuses.All];
    private const int PageSize = 20;
    private readonly Button _status;
    private readonly Label _url, _page;
    private readonly TableView _table;
    private IReadOnlyList<WebhookDeliveryResponse> _rows = [];
    private int _statusIndex;
    private int _pageNo = 1;
    private long _total;

    public WebhooksScreen(IApplication app, IConsoleClient client) : base(app, client, "Webhooks")
    {
        _url = new Label { HotKeySpecifier = Ui.NoHotKey, X = 0, Y = 0, Width = Dim.Fill(), Height = 1 };
        _status = new Button { ShadowStyle = ShadowStyles.None, Text = "Status: All", X = 0, Y = 1 };
        var retry = new Button { ShadowStyle = ShadowStyles.None, Text = "_Retry", X = Pos.Right(_status) + 2, Y = 1 };
        var test = new Button { ShadowStyle = ShadowStyles.None, Text = "_Test ping", X = Pos.Right(retry) + 1, Y = 1 };
        _table = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 3, Width = Dim.Fill(), Height = Dim.Fill(2), FullRowSelect = true };
        var prev = new Button { ShadowStyle = ShadowStyles.None, Text = "< _Prev", X = 0, Y = Pos.AnchorEnd(1) };
        var next = new Button { ShadowStyle = ShadowStyles.None, Text = "_Next >", X = Pos.Right(prev) + 1, Y = Pos.AnchorEnd(1) };
        _page = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(next) + 2, Y = Pos.AnchorEnd(1), Width = Dim.Fill() };
        Add(_url, _status, retry, test, _table, prev, next, _page);

        _status.Accepting += (_, e) =>
        {
            e.Handled = true;
            _statusIndex = (_statusIndex + 1) % Statuses.Length;
            _status.Text = "Status: " + Statuses[_statusIndex];
            _pageNo = 1;
            Refresh();
        };
        retry.Accepting += (_, e) =>
        {
            e.Handled = true;
            if (Ui.SelectedRow(_table) is not { } row || row >= _rows.Count) { Ui.Info(App, "Retry", "Select an event first."); return; }
            var selected = _rows[row];
            Ui.Background(App, () => Client.RetryDeliveryAsync(selected.EventId),
                d => { Ui.Info(App, "Retry", $"{d.EventId} ({d.Type}) is due again: serve sends it next."); Refresh(); FocusPrimary(); });
        };
        test.Accepting += (_, e) =>
        {
            e.Handled = true;
            Ui.Background(App, Client.TestWebhookAsync, t => { Ui.Info(App, "Test ping", $"{t.EventId} is on its way to the notify URL."); Refresh(); });
        };
        prev.Accepting += (_, e) => { e.Handled = true; if (_pageNo > 1) { _pageNo--; Refresh(); } };
        next.Accepting += (_, e) => { e.Handled = true; if (_pageNo * PageSize < _total) { _pageNo++; Refresh(); } };
        Ui.PageKeys(_table, next, prev);
    }

    /// <summary>`/`: the status filter, this list's only one (Enter cycles it).</summary>
    public override bool FocusSearch()
    {
        _status.SetFocus();
        return true;
    }

    public override string Keys => "Enter on Status cycles pending/delivered/failed · Alt+R sends the selected event again · Alt+T test ping · Alt+P / Alt+N or Ctrl+PgUp / Ctrl+PgDn page";

    public override void FocusPrimary() => _table.SetFocus();

    public override void Refresh()
    {
        Load(Client.AppAsync, keys => _url.Text = keys.App.NotifyUrl is { } url
            ? $"Notify URL: {url}"
            : "No notify URL yet: set one on Keys (Alt+E) to receive events");
        var query = new DeliveryQuery { Page = _pageNo, PageSize = PageSize, Status = _statusIndex == 0 ? null : Statuses[_statusIndex] };
        Load(() => Client.DeliveriesAsync(query), page =>
        {
            var before = _rows;
            _rows = page.Items;
            _total = page.Total;
            var narrow = Ui.Narrow(App);
            Ui.Refill(_table, before, page.Items, d => d.EventId,
                ("Event", d => narrow ? d.EventId[^12..] : d.EventId), ("Type", d => d.Type), ("Status", d => d.Status), ("Tries", d => d.Attempts),
                ("Last", d => d.LastStatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? d.LastError ?? ""),
                ("Next", d => narrow ? Ui.ShortDate(d.NextAttemptAt) : Ui.Date(d.NextAttemptAt)), ("Created", d => narrow ? Ui.ShortDate(d.CreatedAt) : Ui.Date(d.CreatedAt)));
            _page.Text = Ui.PageLine(App, page, "event", "events");
        });
    }
}
