using HiShopping.Api.Contracts;
using System.Globalization;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Credit status and overview, the utilization bar, 30 days of spending, the latest transactions.</summary>
public sealed class OverviewScreen : Screen
{
    private readonly Label _status, _balance, _limit, _available, _totals, _refunded, _utilization, _chart, _chartAxis;
    private readonly TableView _recent;

    public OverviewScreen(IApplication app, IConsoleClient client) : base(app, client, "Overview")
    {
        // Every line fits 80 columns whatever the amounts: the status sits in the heading, the totals take two lines.
        Add(Ui.Field("Credit Status", out _status, 0, 15));
        Add(Ui.Field("  Balance", out _balance, 1), Ui.Field("  Credit limit", out _limit, 2), Ui.Field("  Available", out _available, 3));
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Credit Overview", X = 0, Y = 4 });
        Add(Ui.Field("  Totals", out _totals, 5), Ui.Field("  Refunded", out _refunded, 6), Ui.Field("  Utilization", out _utilization, 7));
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Spent per day, last 30 days", X = 0, Y = 8 });
        _chart = new Label { HotKeySpecifier = Ui.NoHotKey, X = 2, Y = 9, Width = Dim.Fill(), Text = "" };
        _chartAxis = new Label { HotKeySpecifier = Ui.NoHotKey, X = 2, Y = 10, Width = Dim.Fill(), Text = "" };
        Add(_chart, _chartAxis);
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Recent transactions", X = 0, Y = 11 });
        _recent = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 12, Width = Dim.Fill(), Height = Dim.Fill(), FullRowSelect = true };
        Add(_recent);
    }

    private static string Day(DateOnly date) => date.ToString("MM-dd", CultureInfo.InvariantCulture);

    public override void Refresh() =>
        Load(async () => (Credit: await Client.CreditAsync(), Recent: await Client.TransactionsAsync(new TransactionQuery { PageSize = 10 })), data =>
        {
            var c = data.Credit;
            _status.Text = c.Status;
            _balance.Text = $"{Ui.Money(c.Balance)} {c.Currency}";
            _limit.Text = $"{Ui.Money(c.CreditLimit)} {c.Currency}";
            _available.Text = $"{Ui.Money(c.Available)} {c.Currency}";
            _totals.Text = $"credited {Ui.Money(c.TotalCredited)} · consumed {Ui.Money(c.TotalConsumed)}";
            _refunded.Text = $"{Ui.Money(c.TotalRefunded)} {c.Currency}";
            _utilization.Text = $"{Ui.Bar(c.Utilization, 20)} {c.Utilization.ToString("P1", CultureInfo.InvariantCulture)}";
            var spent = c.Last30Days.Select(d => d.Spent.Minor).ToList();
            _chart.Text = Ui.Spark(spent) + $"  max {Ui.Money(spent.DefaultIfEmpty(0).Max())}";
            _chartAxis.Text = c.Last30Days.Count == 0 ? "" : $"{Day(c.Last30Days[0].Date)}{new string(' ', Math.Max(1, c.Last30Days.Count - 10))}{Day(c.Last30Days[^1].Date)}";
            var narrow = Ui.Narrow(App);
            Ui.Fill(_recent, data.Recent.Items,
                ("Reference No", e => e.ReferenceNo), ("Type", e => e.Type), ("Amount", e => Ui.Money(e.Amount)),
                (narrow ? "After" : "Balance After", e => Ui.Money(e.BalanceAfter)), ("Date", e => narrow ? Ui.ShortDate(e.CreatedAt) : Ui.Date(e.CreatedAt)));
        });
}
