using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>
/// An operator's list (merchants, users): a search field (`/`, Enter shows the first page of matches), a table a
/// hundred rows a page (Prev/Next, Alt+P / Alt+N, Ctrl+PgUp / Ctrl+PgDn), and rows of action buttons under it that act
/// on the selected row. After an action the list comes back with the cursor on that row and the focus in it.
/// </summary>
public abstract class SearchListScreen<T> : Screen where T : class
{
    private readonly TableView _table;
    private readonly TextField _search;
    private readonly Label _page;
    private readonly string _noun;
    private IReadOnlyList<T> _rows = [];
    private int _pageNo = 1;
    private bool _more;
    protected const int PageSize = HiShopping.Store.Rules.MaxPageSize;

    private readonly int _actionLines;

    /// <param name="noun">What a row is, for "Select a merchant first." and "3 merchants".</param>
    /// <param name="actionLines">How many lines of buttons <see cref="AddActions"/> will add under the list.</param>
    protected SearchListScreen(IApplication app, IConsoleClient client, string name, string noun, int actionLines)
        : base(app, client, name)
    {
        _noun = noun;
        _actionLines = actionLines;
        _search = new TextField { X = 8, Y = 0, Width = Dim.Fill(1) };
        var footer = actionLines + 1;
        _table = new TableView { TabStop = TabBehavior.TabStop, X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(footer), FullRowSelect = true };
        var prev = new Button { ShadowStyle = ShadowStyles.None, Text = "< _Prev", X = 0, Y = Pos.AnchorEnd(footer) };
        var next = new Button { ShadowStyle = ShadowStyles.None, Text = "_Next >", X = Pos.Right(prev) + 1, Y = Pos.AnchorEnd(footer) };
        _page = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(next) + 2, Y = Pos.AnchorEnd(footer), Width = Dim.Fill() };
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Search:", X = 0, Y = 0 }, _search, _table, prev, next, _page);
        _search.Accepting += (_, e) => { e.Handled = true; _pageNo = 1; Refresh(); _table.SetFocus(); };
        prev.Accepting += (_, e) => { e.Handled = true; Turn(-1); };
        next.Accepting += (_, e) => { e.Handled = true; Turn(+1); };
        Ui.PageKeys(_table, () => Turn(+1), () => Turn(-1));
    }

    /// <summary>
    /// The action buttons, one line of them per array, the first line topmost; each acts on the selected row.
    /// <paramref name="free"/> buttons (first on the top line) need no row: "New user" works on an empty list too.
    /// </summary>
    protected void AddActions((string Text, Action Act)[] free, params (string Text, Action<T> Act)[][] actions)
    {
        if (actions.Length != _actionLines) throw new ArgumentException($"{Name} has room for {_actionLines} lines of buttons.", nameof(actions));
        for (var line = 0; line < actions.Length; line++)
        {
            View? previous = null;
            if (line == 0)
            {
                foreach (var (text, act) in free)
                {
                    var button = new Button { ShadowStyle = ShadowStyles.None, Text = text, X = previous is null ? 0 : Pos.Right(previous) + 1, Y = Pos.AnchorEnd(actions.Length) };
                    button.Accepting += (_, e) => { e.Handled = true; act(); };
                    Add(button);
                    previous = button;
                }
            }
            Ui.RowButtons(this, App, () => Selected, Name, _noun, Pos.AnchorEnd(actions.Length - line), previous, actions[line]);
        }
    }

    protected T? Selected => Ui.SelectedRow(_table) is { } r && r < _rows.Count ? _rows[r] : null;

    /// <summary>The search field's words, or null when it is empty.</summary>
    protected string? Keyword => string.IsNullOrWhiteSpace(_search.Text) ? null : _search.Text.Trim();

    protected int PageNo => _pageNo;

    /// <summary>One page of rows for <see cref="PageNo"/> and <see cref="Keyword"/>.</summary>
    protected abstract Task<PageResponse<T>> FetchAsync();

    /// <summary>A row's identity, so that the cursor stays on it across refreshes.</summary>
    protected abstract object Key(T row);

    protected abstract (string Header, Func<T, object?> Value)[] Columns();

    public override void FocusPrimary() => _table.SetFocus();

    public override bool FocusSearch()
    {
        _search.SetFocus();
        return true;
    }

    private void Turn(int by)
    {
        var pageNo = _pageNo + by;
        // Past a capped count (total_is_estimate) the list goes on as long as pages come back full.
        if (pageNo < 1 || (by > 0 && !_more)) return;
        _pageNo = pageNo;
        Refresh();
    }

    public override void Refresh() => Load(FetchAsync, page =>
    {
        var before = _rows;
        _rows = page.Items;
        _more = page.TotalIsEstimate ? page.Items.Count == PageSize : (long)page.Page * PageSize < page.Total;
        _page.Text = Ui.PageLine(App, page, _noun, _noun + "s");
        Ui.Refill(_table, before, page.Items, Key, Columns());
        if (_selectNext is { } wanted && page.Items.ToList().FindIndex(r => Equals(Key(r), wanted)) is var at and >= 0)
        {
            _table.SetSelection(0, at, false, null);
            _table.EnsureCursorIsVisible();
        }
        _selectNext = null;
    });

    private object? _selectNext;

    /// <summary>After an action that added a row (a new user): the list again, the cursor on that row when this page shows it.</summary>
    protected void AfterAdding(object key)
    {
        _selectNext = key;
        AfterAction();
    }

    /// <summary>After an action: the list again, the cursor on the same row, the focus back in the list.</summary>
    protected void AfterAction()
    {
        Refresh();
        FocusPrimary();
    }
}
