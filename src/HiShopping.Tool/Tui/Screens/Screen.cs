using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>One screen of the dashboard: loads its data in the background and shows it; F5 loads it again.</summary>
public abstract class Screen : View
{
    protected Screen(IApplication app, IConsoleClient client, string name)
    {
        App = app;
        Client = client;
        Name = name;
        Title = name;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
    }

    public new IApplication App { get; }

    public IConsoleClient Client { get; }

    public string Name { get; }

    /// <summary>Loads the screen's data; safe to call again at any time (F5).</summary>
    public abstract void Refresh();

    /// <summary>Enter in the screen list: focus the screen's main control (its table, for lists).</summary>
    public virtual void FocusPrimary() => SetFocus();

    /// <summary>Moves focus to the screen's search field, if it has one.</summary>
    public virtual bool FocusSearch() => false;

    /// <summary>Esc: close whatever the screen has open; false when there is nothing to close.</summary>
    public virtual bool Back() => false;

    /// <summary>The keys this screen adds to the global ones, for F1.</summary>
    public virtual string Keys => "";

    protected void Load<T>(Func<Task<T>> work, Action<T> show) => Ui.Background(App, work, show);
}
