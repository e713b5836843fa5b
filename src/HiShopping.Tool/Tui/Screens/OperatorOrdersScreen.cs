using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Orders;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Operator: every merchant's orders; process, ship, deliver or cancel (refunding), each behind a confirmation.</summary>
public sealed class OperatorOrdersScreen : OrdersScreen
{
    private readonly IOperatorConsole _op;

    private readonly TextField _merchant;

    public OperatorOrdersScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : base(app, client, "All Orders")
    {
        _op = op;
        // Row 1: the merchant filter, a merchant id (the Merchants screen's ID column); empty for every merchant.
        _merchant = new TextField { X = 13, Y = 1, Width = 10 };
        Add(new Label { Text = "_Merchant ID:", X = 0, Y = 1 }, _merchant,
            new Label { HotKeySpecifier = Ui.NoHotKey, Text = "(Enter applies; empty = all)", X = 24, Y = 1 });
        _merchant.Accepting += (_, e) =>
        {
            e.Handled = true;
            var text = _merchant.Text?.Trim() ?? "";
            long? id = null;
            if (text.Length > 0)
            {
                if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                { Ui.Info(App, "Orders", "A merchant ID is a whole number, like 3."); return; }
                id = parsed;
            }
            // The filter is what Enter applied: text typed since does not change what F5 or paging show.
            _filter = id;
            Reload();
            Table.SetFocus();
        };
        Ui.RowButtons(this, App, () => Selected, "Orders", "order", Pos.AnchorEnd(2), null,
            ("P_rocess", Process), ("S_hip", Ship), ("_Deliver", Deliver), ("_Cancel", Cancel));
    }

    protected override int Footer => 1;

    protected override bool ShowsMerchant => true;

    private long? _filter;

    /// <summary>This merchant's orders (Merchants' Alt+R): the filter set as if typed and applied.</summary>
    public void ShowMerchant(long merchantId)
    {
        _merchant.Text = merchantId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _filter = merchantId;
        Reload();
    }

    protected override long? MerchantFilter => _filter;

    public override string Keys => base.Keys + " · Alt+M: the Merchant ID filter · select an order, then Alt+R process · Alt+H ship · Alt+D deliver · Alt+C cancel";

    protected override Task<PageResponse<OrderSummaryResponse>> Fetch(OrderQuery query) => _op.OrdersAsync(query);

    protected override Task<OrderDetailResponse?> FetchOne(string orderNo) => _op.OrderAsync(orderNo);

    private void Move(string verb, OrderSummaryResponse order, Func<Task<OrderDetailResponse>> move)
    {
        if (!Ui.Confirm(App, $"{verb} order", $"{verb} order {order.OrderNo} ({order.Status}, {Ui.Money(order.TotalAmount)} USD)?", verb)) return;
        // The list comes back with the cursor on this order and the focus in the list: ↓ then an action acts on the next one.
        Ui.Background(App, move, detail => { Ui.Info(App, "Order", $"Order {detail.OrderNo} is now {detail.Status}."); Refresh(); FocusPrimary(); });
    }

    /// <summary>An action offered for an order in the wrong status says so at once, before any form or confirmation.</summary>
    private bool Can(OrderSummaryResponse o, string action, params string[] from)
    {
        if (from.Contains(o.Status)) return true;
        Ui.Info(App, "Orders", $"Order {o.OrderNo} is {o.Status}: only {string.Join(" or ", from)} orders can be {action}.");
        return false;
    }

    private void Process(OrderSummaryResponse o)
    {
        if (Can(o, "processed", OrderStatuses.Paid)) Move("Process", o, () => _op.ProcessAsync(o.OrderNo));
    }

    private void Deliver(OrderSummaryResponse o)
    {
        if (Can(o, "delivered", OrderStatuses.Shipped)) Move("Deliver", o, () => _op.DeliverAsync(o.OrderNo));
    }

    private void Ship(OrderSummaryResponse o)
    {
        if (!Can(o, "shipped", OrderStatuses.Processing)) return;
        // The carrier and tracking number are checked before the confirmation, in the form that asks for them.
        if (Ui.Form(App, $"Ship {o.OrderNo}",
                v => string.IsNullOrWhiteSpace(v[0]) ? "Name the carrier (DHL, UPS, …)." : string.IsNullOrWhiteSpace(v[1]) ? "Enter the tracking number." : null,
                ("Carrier", "", false), ("Tracking number", "", false)) is not { } v) return;
        Move("Ship", o, () => _op.ShipAsync(o.OrderNo, v[0].Trim(), v[1].Trim()));
    }

    private void Cancel(OrderSummaryResponse o)
    {
        if (!Can(o, "cancelled", OrderStatuses.Paid, OrderStatuses.Processing)) return;
        if (Ui.Form(App, $"Cancel {o.OrderNo}", ("Reason", "", false)) is not { } v) return;
        Move("Cancel", o, () => _op.CancelAsync(o.OrderNo, string.IsNullOrWhiteSpace(v[0]) ? null : v[0].Trim()));
    }
}
