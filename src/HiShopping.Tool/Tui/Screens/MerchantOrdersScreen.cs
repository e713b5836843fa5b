using HiShopping.Api.Features.Orders;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>The merchant's orders, and cancelling a paid or processing one (refunded in full).</summary>
public sealed class MerchantOrdersScreen : OrdersScreen
{
    public MerchantOrdersScreen(IApplication app, IConsoleClient client) : base(app, client)
    {
        Ui.RowButtons(this, App, () => Selected, "Cancel order", "order", Pos.AnchorEnd(2), null, ("_Cancel order", Cancel));
    }

    protected override int Footer => 1;

    public override string Keys => base.Keys + " · select a paid or processing order, then Alt+C cancels it (refunded in full)";

    private void Cancel(OrderSummaryResponse order)
    {
        // Checked before anything is asked: only a paid or processing order can be cancelled.
        if (order.Status is not (OrderStatuses.Paid or OrderStatuses.Processing))
        {
            Ui.Info(App, "Cancel order", $"Order {order.OrderNo} is {order.Status}: only a paid or processing order can be cancelled.");
            return;
        }
        if (Ui.Form(App, $"Cancel {order.OrderNo}", ("Reason (optional)", "", false)) is not { } v) return;
        if (!Ui.Confirm(App, "Cancel order", $"Cancel order {order.OrderNo}? {Ui.Money(order.TotalAmount)} USD is refunded to your credit.", "Cancel order")) return;
        Ui.Background(App, () => Client.CancelOrderAsync(order.OrderNo, string.IsNullOrWhiteSpace(v[0]) ? null : v[0].Trim()), detail =>
        {
            Ui.Info(App, "Cancel order", $"Order {detail.OrderNo} is cancelled; {Ui.Money(detail.TotalAmount)} USD is back on your credit.");
            Refresh();
            FocusPrimary();
        });
    }
}
