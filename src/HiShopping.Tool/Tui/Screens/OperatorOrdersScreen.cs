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

    public OperatorOrdersScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : base(app, client, "All Orders")
    {
        _op = op;
        (string Text, Action<OrderSummaryResponse> Act)[] actions = [("P_rocess", Process), ("S_hip", Ship), ("_Deliver", Deliver), ("_Cancel", Cancel)];
        View? previous = null;
        foreach (var (text, act) in actions)
        {
            var button = new Button { ShadowStyle = ShadowStyles.None, Text = text, X = previous is null ? 0 : Pos.Right(previous) + 1, Y = Pos.AnchorEnd(2) };
            button.Accepting += (_, e) =>
            {
                e.Handled = true;
                if (Selected is { } order) act(order);
                else Ui.Info(App, "Orders", "Select an order first.");
            };
            Add(button);
            previous = button;
        }
    }

    protected override int Footer => 1;

    public override string Keys => base.Keys + " · select an order, then Alt+R process · Alt+H ship · Alt+D deliver · Alt+C cancel";

    protected override Task<PageResponse<OrderSummaryResponse>> Fetch(OrderQuery query) => _op.OrdersAsync(query);

    protected override Task<OrderDetailResponse?> FetchOne(string orderNo) => _op.OrderAsync(orderNo);

    private void Move(string verb, OrderSummaryResponse order, Func<Task<OrderDetailResponse>> move)
    {
        if (!Ui.Confirm(App, $"{verb} order", $"{verb} order {order.OrderNo} ({order.Status}, {Ui.Money(order.TotalAmount)} USD)?", verb)) return;
        // The list comes back with the cursor on this order and the focus in the list: ↓ then an action acts on the next one.
        Ui.Background(App, move, detail => { Ui.Info(App, "Order", $"Order {detail.OrderNo} is now {detail.Status}."); Refresh(); FocusPrimary(); });
    }

    private void Process(OrderSummaryResponse o) => Move("Process", o, () => _op.ProcessAsync(o.OrderNo));

    private void Deliver(OrderSummaryResponse o) => Move("Deliver", o, () => _op.DeliverAsync(o.OrderNo));

    private void Ship(OrderSummaryResponse o)
    {
        if (Ui.Form(App, $"Ship {o.OrderNo}", ("Carrier", "", false), ("Tracking number", "", false)) is not { } v) return;
        Move("Ship", o, () => _op.ShipAsync(o.OrderNo, v[0].Trim(), v[1].Trim()));
    }

    private void Cancel(OrderSummaryResponse o)
    {
        if (Ui.Form(App, $"Cancel {o.OrderNo}", ("Reason", "", false)) is not { } v) return;
        Move("Cancel", o, () => _op.CancelAsync(o.OrderNo, string.IsNullOrWhiteSpace(v[0]) ? null : v[0].Trim()));
    }
}
