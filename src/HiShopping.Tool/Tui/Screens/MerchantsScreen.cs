using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Merchant;
using HiShopping.Store;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Operator: every merchant with credit; top up, adjust, set limit and fee, disable or enable user and app.</summary>
public sealed class MerchantsScreen : SearchListScreen<MerchantSummaryResponse>
{
    private readonly IOperatorConsole _op;

    /// <param name="openLedger">Shows the selected merchant's ledger (the Ledger screen); Alt+G.</param>
    /// <param name="openOrders">Shows the selected merchant's orders (All Orders, filtered); Alt+R.</param>
    public MerchantsScreen(IApplication app, IConsoleClient client, IOperatorConsole op, Action<MerchantSummaryResponse>? openLedger = null,
        Action<MerchantSummaryResponse>? openOrders = null)
        : base(app, client, "Merchants", "merchant", actionLines: 2)
    {
        _op = op;
        AddActions([],
            [("_Top-up", TopUp), ("A_djust", Adjust), ("_Limit", Limit), ("Led_ger", r => openLedger?.Invoke(r))],
            [("_Fee", Fee), ("_User on/off", ToggleUser), ("App _on/off", ToggleApp), ("Orde_rs", r => openOrders?.Invoke(r))]);
    }

    public override string Keys =>
        "on the selected merchant: Alt+T top-up · Alt+D adjust · Alt+L limit · Alt+G ledger · Alt+R orders · Alt+F fee · Alt+U user on/off · Alt+O app on/off · / search · Alt+P/Alt+N or Ctrl+PgUp/PgDn page";

    protected override Task<PageResponse<MerchantSummaryResponse>> FetchAsync() =>
        _op.MerchantsAsync(new MerchantQuery { Page = PageNo, PageSize = PageSize, Keyword = Keyword });

    protected override object Key(MerchantSummaryResponse row) => row.MerchantId;

    protected override (string Header, Func<MerchantSummaryResponse, object?> Value)[] Columns() =>
    [
        // What a top-up or a limit is about comes first, so that it is whole at 80 columns; the rest scrolls in.
        ("ID", r => r.MerchantId), ("Email", r => r.Email), ("Balance", r => Ui.Money(r.Balance)), ("Available", r => Ui.Money(r.Available)),
        ("User", r => r.UserStatus), ("App", r => r.AppStatus), ("Company", r => r.CompanyName),
        ("Limit", r => Ui.Money(r.CreditLimit)), ("Fee bps", r => r.FeeRateBps),
    ];

    private bool Retyped(string title, long minor)
    {
        if (Math.Abs(minor) < Ui.LargeAmount) return true;
        if (Ui.Form(App, $"{title}: {Money.Format(minor)} USD is a large amount", ("Type it again", "", false)) is not { } v) return false;
        if (Amount(v[0], minor < 0, out var again) && again == minor) return true;
        Ui.Info(App, title, $"{v[0].Trim()} is not {Money.Format(minor)}: nothing was changed.");
        return false;
    }

    private static bool Amount(string text, bool signed, out long minor) => Ui.TryAmount(text, signed, out minor);

    private void TopUp(MerchantSummaryResponse row)
    {
        if (Ui.Form(App, $"Top up {row.Email}", v => Ui.AmountProblem(v[0], signed: false, positive: true, "100.00 or 1,250.50"),
                ("Amount (USD)", "", false), ("Memo", "", false)) is not { } v) return;
        Amount(v[0], false, out var minor);
        if (!Retyped("Top-up", minor)) return;
        if (!Ui.Confirm(App, "Top-up", $"Add {Money.Format(minor)} USD to {row.Email}?", "Top up")) return;
        Ui.Background(App, () => _op.TopUpAsync(row.MerchantId, minor, string.IsNullOrWhiteSpace(v[1]) ? null : v[1]),
            entry => { Ui.Info(App, "Top-up", $"{entry.ReferenceNo}: balance {Ui.Money(entry.BalanceBefore)} → {Ui.Money(entry.BalanceAfter)}"); AfterAction(); });
    }

    private void Adjust(MerchantSummaryResponse row)
    {
        if (Ui.Form(App, $"Adjust {row.Email}",
                v => Ui.AmountProblem(v[0], signed: true, positive: false, "-25.00 or 10.50") ?? (Amount(v[0], true, out var m) && m == 0 ? "An adjustment of 0.00 changes nothing." : null)
                     ?? (string.IsNullOrWhiteSpace(v[1]) ? "Say why in the memo." : null),
                ("Amount (+/-)", "", false), ("Memo (required)", "", false)) is not { } v) return;
        Amount(v[0], true, out var minor);
        if (!Retyped("Adjust", minor)) return;
        if (!Ui.Confirm(App, "Adjust", $"Adjust {row.Email} by {Money.Format(minor)} USD?", "Adjust")) return;
        Ui.Background(App, () => _op.AdjustAsync(row.MerchantId, minor, v[1]),
            entry => { Ui.Info(App, "Adjust", $"{entry.ReferenceNo}: balance {Ui.Money(entry.BalanceBefore)} → {Ui.Money(entry.BalanceAfter)}"); AfterAction(); });
    }

    private void Limit(MerchantSummaryResponse row)
    {
        if (Ui.Form(App, $"Credit limit of {row.Email}", v => Ui.AmountProblem(v[0], signed: false, positive: false, "500.00"),
                ("Limit (USD)", Money.Format(row.CreditLimit.Minor), false)) is not { } v) return;
        Amount(v[0], false, out var minor);
        if (!Ui.Confirm(App, "Limit", $"Set the credit limit of {row.Email} to {Money.Format(minor)} USD?", "Set")) return;
        Ui.Background(App, () => _op.SetLimitAsync(row.MerchantId, minor), AfterAction);
    }

    private void Fee(MerchantSummaryResponse row)
    {
        if (Ui.Form(App, $"Fee rate of {row.Email}", v => Bps(v[0], out _) ? null : $"Enter a whole number of basis points from 0 to {Rules.FeeRateMaxBps} (150 = 1.50 %).",
                ("Basis points", row.FeeRateBps.ToString(System.Globalization.CultureInfo.InvariantCulture), false)) is not { } v) return;
        Bps(v[0], out var bps);
        if (!Ui.Confirm(App, "Fee", $"Set the fee of {row.Email} to {bps} bps?", "Set")) return;
        Ui.Background(App, () => _op.SetFeeAsync(row.MerchantId, bps), AfterAction);
    }

    private static bool Bps(string text, out int bps) =>
        int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bps) && bps <= Rules.FeeRateMaxBps;

    private void ToggleUser(MerchantSummaryResponse row)
    {
        var next = row.UserStatus == "active" ? "disabled" : "active";
        if (!Ui.Confirm(App, "User", $"{(next == "disabled" ? "Disable" : "Enable")} the user {row.Email}?", next == "disabled" ? "Disable" : "Enable")) return;
        Ui.Background(App, () => _op.SetUserStatusAsync(row.UserId, next), AfterAction);
    }

    private void ToggleApp(MerchantSummaryResponse row)
    {
        var next = row.AppStatus == "active" ? "disabled" : "active";
        if (!Ui.Confirm(App, "App", $"{(next == "disabled" ? "Disable" : "Enable")} the app {row.AppId} of {row.Email}?", next == "disabled" ? "Disable" : "Enable")) return;
        Ui.Background(App, () => _op.SetAppStatusAsync(row.MerchantId, next), AfterAction);
    }
}
