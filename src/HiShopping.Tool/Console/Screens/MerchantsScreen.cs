using HiShopping.Store;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Operator: every merchant with credit; top up, adjust, set limit and fee, disable or enable user and app.</summary>
public sealed class MerchantsScreen : Screen
{
    private readonly IOperatorConsole _op;
    private readonly TableView _table;
    private IReadOnlyList<MerchantRow> _rows = [];

    public MerchantsScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : base(app, client, "Merchants")
    {
        _op = op;
        _table = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(3), FullRowSelect = true };
        Add(_table);
        (string Text, Action<MerchantRow> Act)[] actions =
        [
            ("_Top-up", TopUp), ("A_djust", Adjust), ("_Limit", Limit), ("_Fee", Fee), ("_User on/off", ToggleUser), ("App _on/off", ToggleApp),
        ];
        View? previous = null;
        for (var i = 0; i < actions.Length; i++)
        {
            var (text, act) = actions[i];
            if (i == 3) previous = null;
            var button = new Button { ShadowStyle = ShadowStyles.None, Text = text, X = previous is null ? 0 : Pos.Right(previous) + 1, Y = Pos.AnchorEnd(i < 3 ? 2 : 1) };
            button.Accepting += (_, e) =>
            {
                e.Handled = true;
                if (Selected is { } row) act(row);
                else Ui.Info(App, "Merchants", "Select a merchant first.");
            };
            Add(button);
            previous = button;
        }
    }

    private MerchantRow? Selected => Ui.SelectedRow(_table) is { } r && r < _rows.Count ? _rows[r] : null;

    public override string Keys => "Select a merchant, then Alt+T top-up · Alt+D adjust · Alt+L limit · Alt+F fee · Alt+U user on/off · Alt+O app on/off";

    public override void FocusPrimary() => _table.SetFocus();

    public override void Refresh() => Load(_op.MerchantsAsync, rows =>
    {
        _rows = rows;
        Ui.Fill(_table, rows,
            ("ID", r => r.Merchant.Id), ("Email", r => r.Merchant.Email), ("Company", r => r.Merchant.CompanyName),
            ("User", r => r.Merchant.UserStatus), ("App", r => r.App.Status), ("Balance", r => Ui.Money(r.Credit.Balance)),
            ("Limit", r => Ui.Money(r.Credit.CreditLimit)), ("Available", r => Ui.Money(r.Credit.Available)), ("Fee bps", r => r.Merchant.FeeRateBps));
    });

    private static bool Amount(string text, bool signed, out long minor) => Money.TryParse(text, out minor, allowNegative: signed);

    private void TopUp(MerchantRow row)
    {
        if (Ui.Form(App, $"Top up {row.Merchant.Email}", ("Amount (USD)", "", false), ("Memo", "", false)) is not { } v) return;
        if (!Amount(v[0], false, out var minor) || minor <= 0) { Ui.Info(App, "Top-up", "Enter an amount like 100.00."); return; }
        if (!Ui.Confirm(App, "Top-up", $"Add {Money.Format(minor)} USD to {row.Merchant.Email}?", "Top up")) return;
        Ui.Background(App, () => _op.TopUpAsync(row.Merchant.Id, minor, string.IsNullOrWhiteSpace(v[1]) ? null : v[1]),
            entry => { Ui.Info(App, "Top-up", $"{entry.ReferenceNo}: balance {Money.Format(entry.BalanceBefore)} → {Money.Format(entry.BalanceAfter)}"); Refresh(); });
    }

    private void Adjust(MerchantRow row)
    {
        if (Ui.Form(App, $"Adjust {row.Merchant.Email}", ("Amount (+/-)", "", false), ("Memo (required)", "", false)) is not { } v) return;
        if (!Amount(v[0], true, out var minor) || minor == 0) { Ui.Info(App, "Adjust", "Enter an amount like -25.00 or 10.50."); return; }
        if (!Ui.Confirm(App, "Adjust", $"Adjust {row.Merchant.Email} by {Money.Format(minor)} USD?", "Adjust")) return;
        Ui.Background(App, () => _op.AdjustAsync(row.Merchant.Id, minor, v[1]),
            entry => { Ui.Info(App, "Adjust", $"{entry.ReferenceNo}: balance {Money.Format(entry.BalanceBefore)} → {Money.Format(entry.BalanceAfter)}"); Refresh(); });
    }

    private void Limit(MerchantRow row)
    {
        if (Ui.Form(App, $"Credit limit of {row.Merchant.Email}", ("Limit (USD)", Money.Format(row.Credit.CreditLimit), false)) is not { } v) return;
        if (!Amount(v[0], false, out var minor)) { Ui.Info(App, "Limit", "Enter an amount like 500.00."); return; }
        if (!Ui.Confirm(App, "Limit", $"Set the credit limit of {row.Merchant.Email} to {Money.Format(minor)} USD?", "Set")) return;
        Ui.Background(App, () => _op.SetLimitAsync(row.Merchant.Id, minor), Refresh);
    }

    private void Fee(MerchantRow row)
    {
        if (Ui.Form(App, $"Fee rate of {row.Merchant.Email}", ("Basis points", row.Merchant.FeeRateBps.ToString(System.Globalization.CultureInfo.InvariantCulture), false)) is not { } v) return;
        if (!int.TryParse(v[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bps) || bps > 10_000)
        { Ui.Info(App, "Fee", "Enter a whole number from 0 to 10000 (150 = 1.5%)."); return; }
        if (!Ui.Confirm(App, "Fee", $"Set the fee of {row.Merchant.Email} to {bps} bps?", "Set")) return;
        Ui.Background(App, () => _op.SetFeeAsync(row.Merchant.Id, bps), Refresh);
    }

    private void ToggleUser(MerchantRow row)
    {
        var next = row.Merchant.UserStatus == "active" ? "disabled" : "active";
        if (!Ui.Confirm(App, "User", $"{(next == "disabled" ? "Disable" : "Enable")} the user {row.Merchant.Email}?", next == "disabled" ? "Disable" : "Enable")) return;
        Ui.Background(App, () => _op.SetUserStatusAsync(row.Merchant.Email, next), Refresh);
    }

    private void ToggleApp(MerchantRow row)
    {
        var next = row.App.Status == "active" ? "disabled" : "active";
        if (!Ui.Confirm(App, "App", $"{(next == "disabled" ? "Disable" : "Enable")} the app {row.App.AppId} of {row.Merchant.Email}?", next == "disabled" ? "Disable" : "Enable")) return;
        Ui.Background(App, () => _op.SetAppStatusAsync(row.Merchant.Id, next), Refresh);
    }
}
