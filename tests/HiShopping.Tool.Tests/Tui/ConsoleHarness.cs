using System.Runtime.CompilerServices;
using HiShopping.Tool.Tui;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;

namespace HiShopping.Tool.Tests.Tui;

internal static class HeadlessTerminal
{
    // Terminal.Gui's own test switch: the ANSI driver runs without touching the real terminal.
    [ModuleInitializer]
    internal static void Initialize() => Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
}

/// <summary>
/// The real console shell in a real Terminal.Gui application on the ANSI driver at a fixed screen size, run on its
/// own thread as in production. Keys are injected and the screen (Driver.Contents) read back on the UI thread.
/// </summary>
public sealed class ConsoleHarness : IAsyncDisposable
{
    private readonly Thread _thread;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Exception> _errors = [];
    private IApplication? _app;
    private ConsoleShell? _shell;
    private IInputInjector? _injector;

    private ConsoleHarness(IConsoleClient client, int width, int height)
    {
        Client = client;
        _thread = new Thread(() =>
        {
            try
            {
                using var app = Application.Create().Init(DriverRegistry.Names.ANSI);
                _app = app;
                app.Driver!.SetScreenSize(width, height);
                _injector = app.GetInputInjector();
                using var shell = new ConsoleShell(app, client);
                _shell = shell;
                app.SessionBegun += (_, _) => _ready.TrySetResult();
                app.Run(shell, e => { lock (_errors) _errors.Add(e); return true; });
            }
            catch (Exception e)
            {
                lock (_errors) _errors.Add(e);
                _ready.TrySetException(e);
            }
        }) { IsBackground = true, Name = "console-ui" };
    }

    public IConsoleClient Client { get; }

    public IReadOnlyList<Exception> Errors { get { lock (_errors) return _errors.ToList(); } }

    public static async Task<ConsoleHarness> StartAsync(IConsoleClient client, int width = 80, int height = 24)
    {
        var harness = new ConsoleHarness(client, width, height);
        harness._thread.Start();
        await harness._ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await harness.WaitForAsync("Sign in");
        return harness;
    }

    public Task<T> OnUiAsync<T>(Func<IApplication, ConsoleShell, T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _app!.Invoke(() =>
        {
            try { done.SetResult(work(_app, _shell!)); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Types a key the way a terminal does: its ANSI bytes go into the driver's input queue, and the main loop (or
    /// the loop of whatever modal dialog is open) reads them. Thread-safe, and never waits on the UI thread.
    /// </summary>
    public async Task PressAsync(Key key)
    {
        _injector!.InjectKey(key, new InputInjectionOptions { Mode = InputInjectionMode.Pipeline, AutoProcess = false });
        // A lone Esc is told apart from an escape sequence by a short pause.
        await Task.Delay(key == Key.Esc ? 150 : 25);
        // The loop reads input before it runs invoked work, so a round trip means the key has been handled. A dialog
        // opened from a timer may hold the round trip back; then the pause above has to do.
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app!.Invoke(() => handled.TrySetResult());
        await Task.WhenAny(handled.Task, Task.Delay(1000));
    }

    public async Task TypeAsync(string text)
    {
        foreach (var c in text) await PressAsync(new Key(c));
    }

    /// <summary>
    /// The screen as the driver holds it. It is read without stopping the UI, so a frame may be mid-draw: the screen
    /// counts only once two reads a moment apart agree.
    /// </summary>
    public async Task<string> ScreenAsync()
    {
        var previous = Read();
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(30);
            var current = Read();
            if (current == previous && current.Length > 0) return current;
            previous = current;
        }
        return previous;
    }

    private string Read()
    {
        try { return _app!.Driver!.ToString() ?? ""; }
        catch (Exception e) when (e is IndexOutOfRangeException or InvalidOperationException or ArgumentException or NullReferenceException) { return ""; }
    }

    /// <summary>Waits until the screen shows <paramref name="text"/>; fails with the screen it last saw.</summary>
    public async Task<string> WaitForAsync(string text, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var screen = "";
        while (DateTime.UtcNow < until)
        {
            screen = await ScreenAsync();
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                // What is drawn may be a dialog that is still settling its focus: give it a moment before the next key.
                await Task.Delay(150);
                return screen;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the screen never showed \"{text}\":\n{screen}");
    }

    public async Task WaitForGoneAsync(string text, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (!(await ScreenAsync()).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the screen still shows \"{text}\":\n{await ScreenAsync()}");
    }

    /// <summary>Waits until a text field has the focus (a dialog's first field), so typing lands in it.</summary>
    public async Task WaitForTextFieldAsync(int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var focused = await OnUiAsync((app, _) => (app.TopRunnableView as Terminal.Gui.ViewBase.View)?.MostFocused);
            if (focused is Terminal.Gui.Views.TextField) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("no text field took the focus:\n" + await ScreenAsync());
    }

    public async Task LoginAsync(string email, string password, string expect)
    {
        await TypeAsync(email);
        await PressAsync(Key.Tab);
        await TypeAsync(password);
        await PressAsync(Key.Enter);
        await WaitForAsync(expect);
    }

    /// <summary>Brings up a screen the way a user does: focus the screen list, press its number.</summary>
    public async Task<string> OpenAsync(string name, string expect)
    {
        var index = await OnUiAsync((_, shell) => shell.Screens.Select(s => s.Name).ToList().IndexOf(name));
        if (index < 0) throw new InvalidOperationException($"no screen named {name}");
        await PressAsync(Key.Esc);
        await PressAsync(new Key((char)('1' + index)));
        return await WaitForAsync(expect);
    }

    public Task<IReadOnlyList<string>> ScreenNamesAsync() => OnUiAsync((_, shell) => (IReadOnlyList<string>)shell.Screens.Select(s => s.Name).ToList());

    /// <summary>Quits as a user does: Esc out of any open dialog, then Ctrl+Q.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_thread.IsAlive && _app is not null)
        {
            for (var i = 0; i < 5 && !ReferenceEquals(_app.TopRunnableView, _shell); i++) await PressAsync(Key.Esc);
            await PressAsync(Key.Q.WithCtrl);
            if (!_thread.Join(TimeSpan.FromSeconds(15)))
                throw new TimeoutException("the console did not quit on Ctrl+Q:\n" + Read());
        }
        Client.Dispose();
    }
}
