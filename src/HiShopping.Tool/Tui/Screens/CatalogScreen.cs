using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>Operator: catalog counts, and a file import with a progress bar that never freezes the screen.</summary>
public sealed class CatalogScreen : Screen
{
    private readonly IOperatorConsole _op;
    private readonly Label _categories, _goods, _skus, _updated, _result;
    private readonly TextField _path;
    private readonly ProgressBar _progress;
    private bool _importing;

    public CatalogScreen(IApplication app, IConsoleClient client, IOperatorConsole op) : base(app, client, "Catalog")
    {
        _op = op;
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Catalog", X = 0, Y = 0 });
        Add(Ui.Field("  Categories", out _categories, 1), Ui.Field("  Goods", out _goods, 2), Ui.Field("  SKUs", out _skus, 3),
            Ui.Field("  Last updated", out _updated, 4));
        var heading = new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Import a file (JSON or JSON Lines; docs/catalog-format.md)", X = 0, Y = 6 };
        Add(heading);
        _path = new TextField { X = 8, Y = 7, Width = Dim.Fill(1) };
        var import = new Button { ShadowStyle = ShadowStyles.None, Text = "_Import", X = 0, Y = 9 };
        _progress = new ProgressBar { X = 0, Y = 11, Width = Dim.Fill(1), Height = 1 };
        _result = new Label { HotKeySpecifier = Ui.NoHotKey, X = 0, Y = 12, Width = Dim.Fill(), Height = Dim.Fill() };
        var file = new Label { HotKeySpecifier = Ui.NoHotKey, Text = "File:", X = 2, Y = 7 };
        Add(file, _path, import, _progress, _result);
        import.Accepting += (_, e) => { e.Handled = true; Import(); };
        if (!op.CanImport)
        {
            // Remotely the file would have to travel to the server; the import runs where the store is.
            heading.Visible = file.Visible = _path.Visible = import.Visible = _progress.Visible = false;
            _result.Y = 6;
            _result.Text = "Connected to a server: catalog files are imported there,\nwith hishop catalog import FILE.";
        }
    }

    public override string Keys => _op.CanImport
        ? "/ goes to the file field · Alt+I imports it (the screen stays usable meanwhile)"
        : "F5 counts again · a catalog file is imported on the server: hishop catalog import FILE";

    public override bool FocusSearch()
    {
        if (!_op.CanImport) return false;
        _path.SetFocus();
        return true;
    }

    public override void Refresh() => Load(_op.CatalogStatsAsync, s =>
    {
        _categories.Text = $"{s.Categories:N0} ({s.LeafCategories:N0} leaves)";
        _goods.Text = $"{s.Goods:N0} ({s.ActiveGoods:N0} on sale)";
        _skus.Text = $"{s.Skus:N0} ({s.SkusInStock:N0} in stock)";
        _updated.Text = s.LastUpdatedAt is { } t ? Ui.Date(t) : "-";
    });

    private void Import()
    {
        var path = _path.Text?.Trim() ?? "";
        if (_importing || path.Length == 0) { if (path.Length == 0) Ui.Info(App, "Import", "Type the path of the file to import."); return; }
        if (!Ui.Confirm(App, "Import", $"Import {path} into the catalog?", "Import")) return;
        _importing = true;
        _progress.Fraction = 0;
        _result.Text = "Importing…";
        var rejected = new List<string>();
        Ui.Background(App, () => _op.ImportCatalogAsync(path,
                p => App.Invoke(() =>
                {
                    _progress.Fraction = p.BytesTotal > 0 ? (float)p.BytesRead / p.BytesTotal : 0;
                    _result.Text = $"Importing… {p.Records:N0} records, {p.Rejected:N0} rejected";
                }),
                r => { lock (rejected) if (rejected.Count < 20) rejected.Add($"{r.Position}: {r.Reason}"); }),
            result =>
            {
                _importing = false;
                _progress.Fraction = 1;
                _result.Text = $"Done: {result.Records:N0} records · goods {result.Goods.Inserted:N0} new, {result.Goods.Updated:N0} updated, " +
                               $"{result.Goods.Unchanged:N0} unchanged · {result.Rejected:N0} rejected" +
                               (result.FatalError is null ? "" : $"\n{result.FatalError}") +
                               (rejected.Count == 0 ? "" : "\n" + string.Join("\n", rejected));
                Refresh();
            },
            () => _importing = false);
    }
}
