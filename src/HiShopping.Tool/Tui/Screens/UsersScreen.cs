using HiShopping.Api.Features.Admin;
using HiShopping.Store;
using HiShopping.Store.Services;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Operator: every user, with sign-in locks; create, reset a password, unlock, disable or enable.</summary>
public sealed class UsersScreen : Screen
{
    private readonly IOperatorConsole _op;
    private readonly TableView _table;
    private readonly TextField _search;
    private readonly Label _page;
    private IReadOnlyList<AdminUserResponse> _rows = [];
    private int _pageNo = 1;
    private long _total;
    private const int PageSize = Rules.MaxPageSize;

    public UsersScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : base(app, client, "Users")
    {
        _op = op;
        _search = new TextField { X = 8, Y = 0, Width = Dim.Fill(1) };
        _table = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(3), FullRowSelect = true };
        var prev = new Button { ShadowStyle = ShadowStyles.None, Text = "< _Prev", X = 0, Y = Pos.AnchorEnd(2) };
        var next = new Button { ShadowStyle = ShadowStyles.None, Text = "_Next >", X = Pos.Right(prev) + 1, Y = Pos.AnchorEnd(2) };
        _page = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(next) + 2, Y = Pos.AnchorEnd(2), Width = Dim.Fill() };
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Search:", X = 0, Y = 0 }, _search, _table, prev, next, _page);
        _search.Accepting += (_, e) => { e.Handled = true; _pageNo = 1; Refresh(); _table.SetFocus(); };
        prev.Accepting += (_, e) => { e.Handled = true; Turn(-1); };
        next.Accepting += (_, e) => { e.Handled = true; Turn(+1); };
        Ui.PageKeys(_table, () => Turn(+1), () => Turn(-1));

        var create = new Button { ShadowStyle = ShadowStyles.None, Text = "Ne_w user", X = 0, Y = Pos.AnchorEnd(1) };
        create.Accepting += (_, e) => { e.Handled = true; Create(); };
        Add(create);
        View previous = create;
        (string Text, Action<AdminUserResponse> Act)[] actions = [("_Unlock", Unlock), ("_Reset password", Reset), ("_Disable/enable", Toggle)];
        foreach (var (text, act) in actions)
        {
            var button = new Button { ShadowStyle = ShadowStyles.None, Text = text, X = Pos.Right(previous) + 1, Y = Pos.AnchorEnd(1) };
            button.Accepting += (_, e) =>
            {
                e.Handled = true;
                if (Selected is { } row) act(row);
                else Ui.Info(App, "Users", "Select a user first.");
            };
            Add(button);
            previous = button;
        }
    }

    private AdminUserResponse? Selected => Ui.SelectedRow(_table) is { } r && r < _rows.Count ? _rows[r] : null;

    public override string Keys =>
        "Alt+W new user · select a user, then Alt+U unlock · Alt+R reset password · Alt+D disable/enable · / search · Alt+P / Alt+N or Ctrl+PgUp / Ctrl+PgDn page";

    public override void FocusPrimary() => _table.SetFocus();

    public override bool FocusSearch()
    {
        _search.SetFocus();
        return true;
    }

    private void Turn(int by)
    {
        var pageNo = _pageNo + by;
        if (pageNo < 1 || (long)(pageNo - 1) * PageSize >= _total) return;
        _pageNo = pageNo;
        Refresh();
    }

    public override void Refresh() => Load(() => _op.UsersAsync(new UserQuery
    {
        Page = _pageNo, PageSize = PageSize, Keyword = string.IsNullOrWhiteSpace(_search.Text) ? null : _search.Text.Trim(),
    }), page =>
    {
        var before = _rows;
        _rows = page.Items;
        _total = page.Total;
        _page.Text = $"page {page.Page} of {Math.Max(1, (page.Total + PageSize - 1) / PageSize)} · {Ui.Count(page.Total)} users";
        var narrow = Ui.Narrow(App);
        Ui.Refill(_table, before, page.Items, r => r.Id,
            ("ID", r => r.Id), ("Email", r => r.Email), ("Role", r => r.Role), ("Status", r => r.Status),
            ("Locked until", r => r.LockedUntil is { } t ? Ui.Time(t) : ""), ("Created", r => narrow ? Ui.ShortDate(r.CreatedAt) : Ui.Date(r.CreatedAt)));
    });

    private void AfterAction()
    {
        Refresh();
        FocusPrimary();
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
            AfterAction();
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
        if (row.Id == Client.Session?.UserId && next == "disabled") { Ui.Info(App, "Users", "You cannot disable yourself."); return; }
        if (!Ui.Confirm(App, "User", $"{verb} the user {row.Email}?", verb)) return;
        Ui.Background(App, () => _op.SetUserStatusAsync(row.Id, next), AfterAction);
    }
}
