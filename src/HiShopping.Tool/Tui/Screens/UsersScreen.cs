using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Admin;
using HiShopping.Store;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Operator: every user, with sign-in locks; create, reset a password, unlock, disable or enable.</summary>
public sealed class UsersScreen : SearchListScreen<AdminUserResponse>
{
    private readonly IOperatorConsole _op;

    public UsersScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : base(app, client, "Users", "user", actionLines: 1)
    {
        _op = op;
        AddActions([("Ne_w user", Create)], [("_Unlock", Unlock), ("_Reset password", Reset), ("_Disable/enable", Toggle)]);
    }

    public override string Keys =>
        "Alt+W new user · select a user, then Alt+U unlock · Alt+R reset password · Alt+D disable/enable · / search · Alt+P / Alt+N or Ctrl+PgUp / Ctrl+PgDn page";

    protected override Task<PageResponse<AdminUserResponse>> FetchAsync() =>
        _op.UsersAsync(new UserQuery { Page = PageNo, PageSize = PageSize, Keyword = Keyword });

    protected override object Key(AdminUserResponse row) => row.Id;

    protected override (string Header, Func<AdminUserResponse, object?> Value)[] Columns()
    {
        var narrow = Ui.Narrow(App);
        return
        [
            ("ID", r => r.Id), ("Email", r => r.Email), ("Role", r => r.Role), ("Status", r => r.Status),
            (narrow ? "Locked" : "Locked until", r => r.LockedUntil is { } t ? Ui.Time(t) : ""),
            ("Created", r => narrow ? Ui.Date(r.CreatedAt)[..10] : Ui.Date(r.CreatedAt)),
        ];
    }

    private void Create()
    {
        if (Ui.Form(App, "New user",
                v => !Rules.IsEmail(AccountService.NormalizeEmail(v[0])) ? "Enter an email address, like shop@example.com."
                    : !Roles.IsKnown(v[1].Trim()) ? "The role is merchant or operator." : null,
                ("Email", "", false), ("Role", Roles.Merchant, false)) is not { } v) return;
        var email = AccountService.NormalizeEmail(v[0]);
        var role = v[1].Trim();
        if (!Ui.Confirm(App, "New user", $"Create the {role} {email}? A password is generated and shown once.", "Create")) return;
        Ui.Background(App, () => _op.CreateUserAsync(email, role), issued =>
        {
            Ui.ShowOnce(App, $"Password of {issued.User.Email}", issued.Password ?? "");
            AfterAdding(issued.User.Id);
        });
    }

    private void Unlock(AdminUserResponse row)
    {
        if (!Ui.Confirm(App, "Unlock", $"Clear the sign-in lock and failed sign-ins of {row.Email}?", "Unlock")) return;
        Ui.Background(App, () => _op.UnlockAsync(row.Id), done =>
        {
            Ui.Info(App, "Unlock", done.WasLocked ? $"{row.Email} can sign in again." : $"{row.Email} was not locked.");
            AfterAction();
        });
    }

    private void Reset(AdminUserResponse row)
    {
        // One's own password is changed with the current one, never reset (that would end this very session).
        if (row.Id == Client.Session?.UserId) { ProfileScreen.ChangeOwnPassword(App, Client); return; }
        if (!Ui.Confirm(App, "Reset password", $"Give {row.Email} a new password? Their current sign-ins end.", "Reset")) return;
        Ui.Background(App, () => _op.ResetPasswordAsync(row.Id), issued =>
        {
            Ui.ShowOnce(App, $"New password of {row.Email}", issued.Password ?? "");
            AfterAction();
        });
    }

    private void Toggle(AdminUserResponse row)
    {
        var next = row.Status == "active" ? "disabled" : "active";
        var verb = next == "disabled" ? "Disable" : "Enable";
        // Refused before the question (the store refuses it too): nobody is asked to confirm what cannot happen.
        if (next == "disabled" && row.Id == Client.Session?.UserId) { Ui.Info(App, "Users", "You cannot disable your own account; another operator can."); return; }
        if (!Ui.Confirm(App, "User", $"{verb} the user {row.Email}?", verb)) return;
        Ui.Background(App, () => _op.SetUserStatusAsync(row.Id, next), AfterAction);
    }
}
