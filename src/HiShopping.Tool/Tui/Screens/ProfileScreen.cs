using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Merchant;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Merchant information and bank account, editable; and the password change.</summary>
public sealed class ProfileScreen : Screen
{
    private readonly (string Label, TextField Field)[] _fields;
    private readonly Label _state;
    private readonly Label _accountHint;
    private readonly Button _save;
    private bool _exists;

    public ProfileScreen(IApplication app, IConsoleClient client) : base(app, client, "Profile")
    {
        string[] labels = ["Company", "Contact name", "Contact phone", "Contact email", "Country", "Address", "Website",
                           "Bank name", "Account name", "Account number", "SWIFT"];
        _state = new Label { HotKeySpecifier = Ui.NoHotKey, X = 0, Y = 0, Width = Dim.Fill(), Text = "Merchant Information" };
        Add(_state);
        _fields = labels.Select((label, i) =>
        {
            var y = 1 + i + (i >= 7 ? 1 : 0);
            var field = new TextField { X = 16, Y = y, Width = Dim.Fill(1) };
            Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "  " + label, X = 0, Y = y }, field);
            return (label, field);
        }).ToArray();
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Bank Account", X = 0, Y = 8 });
        _accountHint = new Label { HotKeySpecifier = Ui.NoHotKey, X = 16, Y = 13, Width = Dim.Fill() };
        _save = new Button { ShadowStyle = ShadowStyles.None, Text = "_Save profile", X = 0, Y = 15 };
        var password = new Button { ShadowStyle = ShadowStyles.None, Text = "Change _password", X = Pos.Right(_save) + 2, Y = 15 };
        Add(_accountHint, _save, password);

        _save.Accepting += (_, e) => { e.Handled = true; Save(); };
        password.Accepting += (_, e) => { e.Handled = true; ChangePassword(); };
    }

    public override string Keys => "Alt+S saves the profile · Alt+P changes the password · an empty account number keeps the current one";

    private TextField F(string label) => _fields.First(f => f.Label == label).Field;

    public override void Refresh() => Load(Client.MerchantAsync, merchant =>
    {
        _exists = merchant is not null;
        _state.Text = _exists ? $"Merchant Information · merchant {merchant!.MerchantId} · {merchant.Status}" : "No merchant profile yet: fill it in and save to create it.";
        _save.Text = _exists ? "_Save profile" : "_Create profile";
        F("Company").Text = merchant?.CompanyName ?? "";
        F("Contact name").Text = merchant?.ContactName ?? "";
        F("Contact phone").Text = merchant?.ContactPhone ?? "";
        F("Contact email").Text = merchant?.ContactEmail ?? "";
        F("Country").Text = merchant?.Country ?? "";
        F("Address").Text = merchant?.Address ?? "";
        F("Website").Text = merchant?.Website ?? "";
        F("Bank name").Text = merchant?.BankAccount.BankName ?? "";
        F("Account name").Text = merchant?.BankAccount.AccountName ?? "";
        F("Account number").Text = "";
        F("SWIFT").Text = merchant?.BankAccount.SwiftCode ?? "";
        // The number on file never comes back in full: the field stays empty and keeps it unless something is typed.
        _accountHint.Text = merchant?.BankAccount.AccountNumber is { } masked ? $"on file: {masked} (leave empty to keep)" : "";
    });

    private void Save()
    {
        static string? Value(TextField f) => string.IsNullOrWhiteSpace(f.Text) ? null : f.Text.Trim();
        var input = new MerchantProfileRequest
        {
            CompanyName = Value(F("Company")), ContactName = Value(F("Contact name")), ContactPhone = Value(F("Contact phone")),
            ContactEmail = Value(F("Contact email")), Country = Value(F("Country")), Address = Value(F("Address")), Website = Value(F("Website")),
            BankAccount = new BankAccountRequest
            {
                BankName = Value(F("Bank name")), AccountName = Value(F("Account name")), AccountNumber = Value(F("Account number")), SwiftCode = Value(F("SWIFT")),
            },
        };
        var create = !_exists;
        Ui.Background(App, () => Client.SaveMerchantAsync(input, create), saved =>
        {
            Ui.Info(App, "Profile", create ? "Profile created: your credit account and app are ready." : "Profile saved.");
            Refresh();
        });
    }

    private void ChangePassword() => ChangeOwnPassword(App, Client);

    /// <summary>
    /// The signed-in user's own password, with the current one (merchants on Profile, operators on their own row of
    /// Users): checked in the form first, then by the server; other sessions are signed out.
    /// </summary>
    public static void ChangeOwnPassword(IApplication app, IConsoleClient client)
    {
        var values = Ui.Form(app, "Change password",
            v => v[1].Length < HiShopping.Store.Rules.PasswordMin ? $"The new password needs at least {HiShopping.Store.Rules.PasswordMin} characters."
                : v[1] != v[2] ? "The new passwords differ." : null,
            ("Current password", "", true), ("New password", "", true), ("Repeat new", "", true));
        if (values is null) return;
        Ui.Background(app, () => client.ChangePasswordAsync(values[0], values[1]),
            () => Ui.Info(app, "Change password", "Password changed. Other sessions are signed out."));
    }
}
