using HiShopping.Api.Contracts;
using System.Collections.ObjectModel;
using HiShopping.Tool.Tui.Client;
using HiShopping.Tool.Tui.Screens;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui;

/// <summary>
/// The console's one window: a header, the sign-in screen or the dashboard (a list of screens on the left, the
/// chosen screen on the right), and a status bar with the keys. Ten screens do not fit as tabs in 80 columns, so
/// navigation is a side list, as in k9s and lazygit; and no window frame, so 80×24 leaves the screens 65×21.
/// </summary>
public sealed class ConsoleShell : Runnable
{
    public const string GlobalKeys = """
        Tab / Shift+Tab   move between the screen list, fields, tables and buttons
        ↑ ↓ ← →           move within a list, table or tree
        Enter             open or run the selected item; in the list, enter the screen
        Alt+1 … Alt+9     jump to a screen from anywhere (1–9 in the screen list)
        F1                this help
        F5                refresh the current screen
        /                 search (or filter) on the current screen
        Esc               back: close what is open, or return to the screen list
        Ctrl+Q, Ctrl+C    quit
        Mouse             click to select and press; wheel to scroll
        """;

    private readonly IApplication _app;
    private readonly IConsoleClient _client;
    private readonly Label _header;
    private readonly View _body;
    private ListView? _nav;
    private View? _content;
    private List<Screen> _screens = [];

    /// <summary>Wide enough for "2 Transactions".</summary>
    private const int NavWidth = 14;

    public ConsoleShell(IApplication app, IConsoleClient client)
    {
        _app = app;
        _client = client;
        Title = "HiShopping";
        Width = Dim.Fill();
        Height = Dim.Fill();
        _header = new Label { HotKeySpecifier = Ui.NoHotKey, X = 0, Y = 0, Width = Dim.Fill(), Text = $"HiShopping · sign in · {client.Describe}" };
        _body = new View { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(1), CanFocus = true };
        var status = new StatusBar();
        status.Add(
            new Shortcut(Key.F1, "Help", ShowHelp),
            new Shortcut(Key.F5, "Refresh", () => Current?.Refresh()),
            new Shortcut(Key.Empty, "/ Search", null),
            new Shortcut(Key.Empty, "Esc Back", null),
            new Shortcut(Key.Q.WithCtrl, "Quit", Quit));
        Add(_header, _body, status);
        app.Keyboard.KeyDown += OnAppKeyDown;
        ShowLogin();
    }

    /// <summary>The screen on show, if signed in.</summary>
    public Screen? Current { get; private set; }

    public IReadOnlyList<Screen> Screens => _screens;

    private void ShowLogin()
    {
        _body.RemoveAll();
        Current = null;
        _screens = [];
        _header.Text = $"HiShopping · sign in · {_client.Describe}";
        _login = new LoginScreen(_app, _client, ShowDashboard);
        _body.Add(_login);
        _login.FocusFirst();
    }

    private LoginScreen? _login;

    protected override void OnIsRunningChanged(bool newIsRunning)
    {
        base.OnIsRunningChanged(newIsRunning);
        // Starting the session focuses the first focusable view it finds; sign-in starts in the email field.
        if (newIsRunning && Current is null) _login?.FocusFirst();
    }

    private void ShowDashboard(ConsoleSession session)
    {
        _body.RemoveAll();
        _login = null;
        _header.Text = $"HiShopping · {session.Email} · {session.Role} · times {Ui.ZoneLabel} · {_client.Describe}";
        _screens = BuildScreens(session);
        _nav = new ListView
        {
            X = 0, Y = 1, Width = NavWidth, Height = Dim.Fill(),
            Source = new ListWrapper<string>(new ObservableCollection<string>(_screens.Select((s, i) => $"{(i + 1) % 10} {s.Name}"))),
        };
        _content = new View { X = NavWidth + 1, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = true };
        _body.Add(new Line { X = NavWidth, Y = 0, Height = Dim.Fill(), Orientation = Orientation.Vertical });
        _body.Add(new Line { X = 0, Y = 0, Width = Dim.Fill() });
        _body.Add(_nav, _content);
        _nav.ValueChanged += (_, e) =>
        {
            if (e.NewValue is int index && index >= 0 && index < _screens.Count) Show(_screens[index]);
        };
        _nav.Accepting += (_, e) =>
        {
            e.Handled = true;
            Current?.FocusPrimary();
        };
        _nav.SelectedItem = 0;
        Show(_screens[0]);
        _nav.SetFocus();
    }

    private List<Screen> BuildScreens(ConsoleSession session)
    {
        if (session.IsOperator)
        {
            // Locally and remotely alike (remotely through the Operator API).
            var op = _client.Operator ?? throw new InvalidOperationException("An operator session without the operator's tools.");
            var ledger = new TransactionsScreen(_app, _client, op);
            var orders = new OperatorOrdersScreen(_app, _client, op);
            return
            [
                new MerchantsScreen(_app, _client, op,
                    openLedger: merchant => { ledger.ShowMerchant(merchant); Show(ledger.Name); ledger.FocusPrimary(); },
                    openOrders: merchant => { orders.ShowMerchant(merchant.MerchantId); Show(orders.Name); orders.FocusPrimary(); }),
                ledger, orders, new UsersScreen(_app, _client, op), new CatalogScreen(_app, _client, op),
                new GoodsScreen(_app, _client), new ApiDocsScreen(_app, _client),
            ];
        }
        return
        [
            new OverviewScreen(_app, _client), new TransactionsScreen(_app, _client), new KeysScreen(_app, _client),
            new ProfileScreen(_app, _client), new GoodsScreen(_app, _client), new MerchantOrdersScreen(_app, _client), new ApiDocsScreen(_app, _client),
            new WebhooksScreen(_app, _client),
        ];
    }

    /// <summary>Brings a screen up by name (as the list does); used by the keys 1–9 and by tests.</summary>
    public void Show(string name)
    {
        var index = _screens.FindIndex(s => s.Name == name);
        if (index < 0) return;
        if (_nav is not null) _nav.SelectedItem = index;
        Show(_screens[index]);
    }

    private void Show(Screen screen)
    {
        if (_content is null || ReferenceEquals(Current, screen)) return;
        _content.RemoveAll();
        _content.Add(screen);
        Current = screen;
        screen.Refresh();
        SetNeedsLayout();
    }

    private void OnAppKeyDown(object? sender, Key key)
    {
        // Only the dashboard's own keys: while a dialog is open, it gets every key.
        if (!ReferenceEquals(_app.TopRunnableView, this)) return;
        if (key == Key.Q.WithCtrl || key == Key.C.WithCtrl) { Quit(); key.Handled = true; }
        else if (key == Key.F1) { ShowHelp(); key.Handled = true; }
        else if (key == Key.F5 && Current is not null) { Current.Refresh(); key.Handled = true; }
        else if (key == Key.Esc) { Back(); key.Handled = true; }
        else if (Current is not null && !Typing() && key.AsRune.Value == '/') { key.Handled = Current.FocusSearch(); }
        else if (Current is not null && key.IsAlt && key.NoAlt.AsRune.Value is >= '1' and <= '9')
        {
            // Alt+number jumps to a screen from anywhere, as the number does in the screen list.
            var index = key.NoAlt.AsRune.Value - '1';
            if (index < _screens.Count) { Show(_screens[index].Name); key.Handled = true; }
        }
        else if (Current is not null && _nav?.HasFocus == true && key.AsRune.Value is >= '1' and <= '9')
        {
            var index = key.AsRune.Value - '1';
            if (index < _screens.Count) { Show(_screens[index].Name); key.Handled = true; }
        }
    }

    private bool Typing() => MostFocused is TextField;

    private void Back()
    {
        if (Current is null) return;
        if (Current.Back()) return;
        if (_nav is { HasFocus: false }) _nav.SetFocus();
    }

    private void ShowHelp()
    {
        // The screen's own keys first: they are what F1 is pressed for, and they must never be the part cut off.
        var own = Current?.Keys is { Length: > 0 } k ? $"{Current.Name}: {k}\n\n" : "";
        Ui.Document(_app, "Keys", own + GlobalKeys);
    }

    private void Quit() => _app.RequestStop();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _app.Keyboard.KeyDown -= OnAppKeyDown;
        base.Dispose(disposing);
    }
}
