using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Goods;
using System.Text;
using System.Text.Json;
using HiShopping.Store.Catalog;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Temu goods: the category tree, a keyword search, the list, and a detail with SKUs.</summary>
public sealed class GoodsScreen : Screen
{
    private readonly TreeView<CategoryResponse> _tree;
    private readonly TextField _search;
    private readonly TableView _table;
    private readonly Label _page;
    private IReadOnlyList<GoodsSummaryResponse> _rows = [];
    private static readonly (string? Value, string Label)[] Sorts = [(null, "default"), ("price_asc", "price ↑"), ("price_desc", "price ↓"), ("newest", "newest")];
    private readonly Button _sort;
    private readonly TextField _min, _max;
    private int _sortIndex;
    private string? _category;
    private int _pageNo = 1;
    private long _total;
    private const int PageSize = 50;

    public GoodsScreen(IApplication app, IConsoleClient client) : base(app, client, "Goods")
    {
        _tree = new TreeView<CategoryResponse>
        {
            TabStop = TabBehavior.TabStop,
            X = 0, Y = 0, Width = Dim.Percent(30), Height = Dim.Fill(),
            TreeBuilder = new DelegateTreeBuilder<CategoryResponse>(n => n.Children, n => n.Children.Count > 0),
            AspectGetter = n => $"{n.Name} ({n.GoodsCount})",
        };
        _search = new TextField { X = Pos.Right(_tree) + 9, Y = 0, Width = Dim.Fill(1) };
        _table = new TableView { TabStop = TabBehavior.TabStop, X = Pos.Right(_tree) + 1, Y = 2, Width = Dim.Fill(), Height = Dim.Fill(1), FullRowSelect = true };
        var prev = new Button { ShadowStyle = ShadowStyles.None, Text = "< _Prev", X = Pos.Right(_tree) + 1, Y = Pos.AnchorEnd(1) };
        var next = new Button { ShadowStyle = ShadowStyles.None, Text = "_Next >", X = Pos.Right(prev) + 1, Y = Pos.AnchorEnd(1) };
        _page = new Label { HotKeySpecifier = Ui.NoHotKey, X = Pos.Right(next) + 2, Y = Pos.AnchorEnd(1), Width = Dim.Fill() };
        Add(_tree, new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Search:", X = Pos.Right(_tree) + 1, Y = 0 }, _search, _table, prev, next, _page);
        // Row 1: the sort (Enter cycles it) and a price range (Enter in either field applies it).
        _sort = new Button { ShadowStyle = ShadowStyles.None, Text = "S_ort: default", X = Pos.Right(_tree) + 1, Y = 1 };
        _min = new TextField { X = Pos.Right(_sort) + 7, Y = 1, Width = 8 };
        _max = new TextField { X = Pos.Right(_min) + 1, Y = 1, Width = 8 };
        Add(_sort, new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Price", X = Pos.Right(_sort) + 1, Y = 1 }, _min,
            new Label { HotKeySpecifier = Ui.NoHotKey, Text = "–", X = Pos.Right(_min), Y = 1 }, _max);
        _sort.Accepting += (_, e) =>
        {
            e.Handled = true;
            _sortIndex = (_sortIndex + 1) % Sorts.Length;
            _sort.Text = "S_ort: " + Sorts[_sortIndex].Label;
            _pageNo = 1;
            LoadGoods();
        };
        foreach (var field in new[] { _min, _max })
            field.Accepting += (_, e) => { e.Handled = true; _pageNo = 1; LoadGoods(); };
        prev.Accepting += (_, e) => { e.Handled = true; if (_pageNo > 1) { _pageNo--; LoadGoods(); } };
        next.Accepting += (_, e) => { e.Handled = true; if (_pageNo * PageSize < _total) { _pageNo++; LoadGoods(); } };

        _tree.SelectionChanged += (_, e) =>
        {
            // "All categories" (first, and what the tree selects when it gets focus) is no filter.
            var picked = e.NewValue is { CategoryId: var id } && id != AllId ? id : null;
            if (picked == _category) return;
            _category = picked;
            _pageNo = 1;
            LoadGoods();
        };
        _search.Accepting += (_, e) =>
        {
            e.Handled = true;
            _pageNo = 1;
            LoadGoods();
            _table.SetFocus();
        };
        _table.Accepting += (_, e) =>
        {
            e.Handled = true;
            ShowDetail();
        };
        Ui.PageKeys(_table, next, prev);
    }

    public override string Keys => "/ searches titles · Enter opens the goods with its SKUs · Alt+O cycles the sort · Price from–to, Enter applies · Alt+P / Alt+N or Ctrl+PgUp / Ctrl+PgDn page · the tree filters by category (All categories: no filter)";

    public override void FocusPrimary() => _table.SetFocus();

    public override bool FocusSearch()
    {
        _search.SetFocus();
        return true;
    }

    private const string AllId = "";

    public override void Refresh()
    {
        Load(Client.CategoriesAsync, roots =>
        {
            _tree.ClearObjects();
            _tree.AddObject(new CategoryResponse(AllId, "All categories", null, roots.Sum(r => r.GoodsCount), []));
            _tree.AddObjects(roots);
        });
        LoadGoods();
    }

    private void LoadGoods()
    {
        if (!Price(_min.Text, out var min) || !Price(_max.Text, out var max))
        {
            Ui.Info(App, "Goods", "A price is an amount like 9.99, or empty for no bound.");
            return;
        }
        var query = new GoodsQuery
        {
            Page = _pageNo, PageSize = PageSize, CategoryId = _category, Keyword = string.IsNullOrWhiteSpace(_search.Text) ? null : _search.Text.Trim(),
            Sort = Sorts[_sortIndex].Value, MinPrice = min, MaxPrice = max,
        };
        Load(() => Client.GoodsAsync(query), page =>
        {
            _rows = page.Items;
            _total = page.Total;
            // At 80 columns the title gives way (set before the rows: the table lays out its columns then), so that
            // price and stock are always in view.
            _table.MaxCellWidth = Ui.Narrow(App) ? 18 : 60;
            Ui.Fill(_table, page.Items,
                ("Title", g => g.Title), ("Price", g => g.MinPrice == g.MaxPrice ? Ui.Money(g.MinPrice) : $"{Ui.Money(g.MinPrice)}–{Ui.Money(g.MaxPrice)}"),
                ("Stock", g => g.InStock ? "yes" : "out"), ("SKUs", g => g.SkuCount), ("Goods ID", g => g.GoodsId));
            _page.Text = Ui.PageLine(App, page, "goods", "goods");
        });
    }

    private static bool Price(string? text, out long? minor)
    {
        minor = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Ui.TryAmount(text, signed: false, out var m)) return false;
        minor = m;
        return true;
    }

    private void ShowDetail()
    {
        if (Ui.SelectedRow(_table) is not { } row || row >= _rows.Count) return;
        var goodsId = _rows[row].GoodsId;
        Load(() => Client.GoodsDetailAsync(goodsId), detail =>
        {
            if (detail is null) { Ui.Info(App, "Goods", $"Goods {goodsId} is no longer on sale."); return; }
            var text = new StringBuilder();
            text.AppendLine(string.Join(" › ", detail.CategoryPath.Select(c => c.Name)));
            text.AppendLine($"{detail.GoodsId} · {Ui.Money(detail.MinPrice)}–{Ui.Money(detail.MaxPrice)} USD");
            text.AppendLine();
            text.AppendLine(detail.Description);
            text.AppendLine();
            foreach (var sku in detail.Skus)
            {
                text.AppendLine($"{sku.SkuId,-12} {string.Join(", ", sku.Spec.Select(s => $"{s.Key}: {s.Value}")),-28} {Ui.Money(sku.Price),9}  stock {sku.Stock}");
            }
            Ui.Document(App, detail.Title, text.ToString());
        });
    }
}
