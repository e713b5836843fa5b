using System.CommandLine;
using System.Globalization;
using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Orders;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop order list|show|process|ship|deliver|cancel</c>: the operator moves orders through fulfilment.</summary>
public static class OrderCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var order = new Command("order", "List orders and move them through fulfilment");

        var merchant = new Option<string?>("--merchant") { Description = "Only this merchant's orders (email or id)" };
        var status = new Option<string?>("--status") { Description = "Only orders in this status" };
        status.AcceptOnlyFromAmong(OrderStatuses.All);
        var page = new Option<int>("--page") { Description = "Page, from 1", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--page-size") { Description = "Orders per page, 1–100", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string?>("--cursor") { Description = "Start after this order (the next cursor a previous page printed); constant cost at any depth" };
        var list = new Command("list", "List orders, newest first") { merchant, status, page, size, cursor, Output.Json };
        HishopCli.Handle(list, env, c =>
        {
            long? merchantId = c.Value(merchant) is { } m ? c.Merchants.Resolve(m).Id : null;
            var result = c.Get<IOrderService>().List(new OrderQuery { MerchantId = merchantId, Status = c.Value(status), Page = c.Value(page), PageSize = c.Value(size), Cursor = c.Value(cursor) });
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, PageResponse<OrderSummaryResponse>.From(result, OrderSummaryResponse.From));
                return HishopCli.Ok;
            }
            Output.Table(c.Out, ["ORDER NO", "MERCHANT", "MERCHANT ORDER NO", "STATUS", "ITEMS", "TOTAL", "CREATED"],
                result.Items.Select(o => new[]
                {
                    o.OrderNo, o.MerchantId.ToString(CultureInfo.InvariantCulture), o.MerchantOrderNo, o.Status,
                    o.ItemCount.ToString(CultureInfo.InvariantCulture), Money.Format(o.TotalAmount), Times.Iso(o.CreatedAt),
                }));
            c.Out.WriteLine(Output.ListFooter(result, "orders"));
            return HishopCli.Ok;
        });

        var showNo = OrderNoOption();
        var show = new Command("show", "Show one order: items, shipping, history, ledger") { showNo, Output.Json };
        HishopCli.Handle(show, env, c =>
        {
            var d = c.Get<IOrderService>().Get(c.Value(showNo)) ?? throw new HiShopException(ErrorCode.NotFound, $"Order {c.Value(showNo)} not found.");
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, OrderDetailResponse.From(d));
                return HishopCli.Ok;
            }
            Print(c.Out, d);
            return HishopCli.Ok;
        });

        order.Subcommands.Add(list);
        order.Subcommands.Add(show);
        order.Subcommands.Add(Move("process", "Start processing a paid order", env, (orders, no, _) => orders.Process(no)));
        var carrier = new Option<string>("--carrier") { Description = "Carrier name, e.g. DHL", Required = true };
        var tracking = new Option<string>("--tracking-no") { Description = "The carrier's tracking number", Required = true };
        order.Subcommands.Add(Move("ship", "Mark a processing order shipped", env, (orders, no, c) => orders.Ship(no, c.Value(carrier), c.Value(tracking)), carrier, tracking));
        order.Subcommands.Add(Move("deliver", "Mark a shipped order delivered", env, (orders, no, _) => orders.Deliver(no)));
        var reason = new Option<string?>("--reason") { Description = "Why it is cancelled (kept in the order's history)" };
        order.Subcommands.Add(Move("cancel", "Cancel a paid or processing order and refund it in full", env,
            (orders, no, c) => orders.Cancel(no, null, c.Value(reason)), reason));
        return order;
    }

    private static Option<string> OrderNoOption() => new("--order-no") { Description = "The order number (HS…)", Required = true };

    private static Command Move(string name, string description, Func<string, string?> env, Func<IOrderService, string, CliContext, OrderDetail> move, params Option[] extra)
    {
        var orderNo = OrderNoOption();
        var command = new Command(name, description) { orderNo };
        foreach (var option in extra) command.Options.Add(option);
        HishopCli.Handle(command, env, c =>
        {
            var d = move(c.Get<IOrderService>(), c.Value(orderNo), c);
            var refund = d.LedgerEntries.FirstOrDefault(e => e.Type == LedgerTypes.Refund);
            c.Out.WriteLine($"order {d.Order.OrderNo} is now {d.Order.Status}" +
                            (name == "cancel" && refund is not null ? $"; refunded {Money.Format(refund.Amount)} USD ({refund.ReferenceNo})" : ""));
            return HishopCli.Ok;
        });
        return command;
    }

    private static void Print(TextWriter o, OrderDetail d)
    {
        var s = d.Shipping;
        Output.Fields(o,
        [
            ("Order", d.Order.OrderNo), ("Merchant order", $"{d.Order.MerchantOrderNo} (merchant {d.Order.MerchantId})"), ("Status", d.Order.Status),
            ("Goods", Money.Format(d.Order.GoodsAmount)), ("Fee", Money.Format(d.Order.Fee)), ("Total", $"{Money.Format(d.Order.TotalAmount)} {d.Order.Currency}"),
            ("Ship to", $"{s.Name}, {s.Address1}{(s.Address2 is null ? "" : ", " + s.Address2)}, {s.PostalCode} {s.City}, {s.State}, {s.Country} ({s.Phone})"),
            ("Tracking", d.Carrier is null ? "-" : $"{d.Carrier} {d.TrackingNo}"), ("Remark", d.Remark ?? "-"),
            ("Created", Times.Iso(d.Order.CreatedAt)),
        ]);
        o.WriteLine();
        Output.Table(o, ["SKU", "TITLE", "UNIT PRICE", "QTY", "AMOUNT"],
            d.Items.Select(i => new[] { i.SkuId, i.Title, Money.Format(i.UnitPrice), i.Quantity.ToString(CultureInfo.InvariantCulture), Money.Format(i.Amount) }));
        o.WriteLine();
        Output.Table(o, ["AT", "STATUS", "NOTE"], d.History.Select(h => new[] { Times.Iso(h.At), h.Status, h.Note }));
        o.WriteLine();
        Output.Table(o, ["REFERENCE NO", "TYPE", "AMOUNT", "BALANCE AFTER"],
            d.LedgerEntries.Select(e => new[] { e.ReferenceNo, e.Type, Money.Format(e.Amount), Money.Format(e.BalanceAfter) }));
    }
}
