using System.Collections.Concurrent;
using HiShopping.Tool.Tui;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;

namespace HiShopping.Testing;

/// <summary>
/// The real console shell in a real Terminal.Gui application on the ANSI driver at a fixed screen size, run on its own
/// thread as in production, on Terminal.Gui's virtual time: the test owns the clock and moves it while it waits, and
/// nothing here sleeps. Keys are injected straight into the application (Terminal.Gui's direct input injection) and
/// everything the test reads is captured, on the UI thread between two iterations of whatever loop runs — the
/// dashboard's or a dialog's — so it is always a whole frame. Every wait has a deadline.
/// </summary>
public sealed class ConsoleHarness : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly Thread _thread;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Exception> _errors = [];
    private readonly VirtualTimeProvider _time = new();
    private readonly ConcurrentQueue<Action<IApplication, ConsoleShell>> _onUi = new();
    private IApplication? _app;
    private ConsoleShell? _shell;
    private IInputInjector? _injector;

    static ConsoleHarness()
    {
        // Terminal.Gui's own test switch: the ANSI driver runs without touching the real terminal.
        Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
        // The loop paces itself in real time (25 iterations a second by default, so that an idle console costs nothing);
        // a test that waits on iterations lets it run as fast as it can.
        Application.MaximumIterationsPerSecond = 200;
    }

    private ConsoleHarness(IConsoleClient client, int width, int height)
    {
        Client = client;
        _thread = new Thread(() =>
        {
            try
            {
                using var app = Application.Create(_time).Init(DriverRegistry.Names.ANSI);
                _app = app;
                app.Driver!.SetScreenSize(width, height);
                _injector = app.GetInputInjector();
                using var shell = new ConsoleShell(app, client);
                _shell = shell;
                app.SessionBegun += (_, _) => _ready.TrySetResult();
                // Raised on the UI thread by every loop, a dialog's included: the one place tests touch the application.
                app.Iteration += (_, _) =>
                {
                    while (_onUi.TryDequeue(out var work)) work(app, shell);
                };
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
        await harness._ready.Task.WaitAsync(Deadline);
        await harness.WaitForAsync("Sign in");
        return harness;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the UI thread at the next iteration of the running loop, advancing the virtual
    /// clock until that iteration comes.
    /// </summary>
    public async Task<T> OnUiAsync<T>(Func<IApplication, ConsoleShell, T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _onUi.Enqueue((app, shell) =>
        {
            try { done.SetResult(work(app, shell)); }
            catch (Exception e) { done.SetException(e); }
        });
        await KeepTimeMovingUntil(done.Task, "the console's UI loop stopped iterating");
        return await done.Task;
    }

    /// <summary>
    /// Waits for <paramref name="signal"/> while moving the virtual clock on, a tick at a time: the loop (and its
    /// dialogs' loops, and the input parser) wait on that clock, so they move only while a test waits for them.
    /// </summary>
    private async Task KeepTimeMovingUntil(Task signal, string failure)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!signal.IsCompleted)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException(failure);
            _time.Advance(Tick);
            try { await signal.WaitAsync(TimeSpan.FromMilliseconds(2)); }
            catch (TimeoutException) { }
        }
    }

    /// <summary>
    /// Presses a key: raised on the UI thread between iterations, as the driver raises a key it has read (the ANSI
    /// path from bytes to keys is the tmux smoke tests' to cover). A key that opens a dialog runs the dialog's loop
    /// inside that call, so the press is done at the next iteration of whichever loop runs then.
    /// </summary>
    public Task PressAsync(Key key) => InjectAsync([key]);

    /// <summary>Types text, key after key, within one iteration.</summary>
    public Task TypeAsync(string text) => InjectAsync(text.Select(c => new Key(c)).ToList());

    private async Task InjectAsync(IReadOnlyList<Key> keys)
    {
        var direct = new InputInjectionOptions { Mode = InputInjectionMode.Direct, AutoProcess = true, TimeProvider = _time };
        _onUi.Enqueue((_, _) =>
        {
            try
            {
                foreach (var key in keys) _injector!.InjectKey(key, direct);
            }
            catch (Exception e)
            {
                lock (_errors) _errors.Add(e);
            }
        });
        await OnUiAsync((_, _) => true);
    }

    /// <summary>The whole screen, laid out and drawn on the UI thread, as the driver holds it.</summary>
    public Task<string> ScreenAsync() => OnUiAsync((app, _) =>
    {
        app.LayoutAndDraw(forceRedraw: false);
        return app.Driver!.ToString() ?? "";
    });

    /// <summary>Waits until the screen shows <paramref name="text"/> (data loads in the background); fails with the last screen.</summary>
    public Task<string> WaitForAsync(string text) => WaitUntilAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"the screen never showed \"{text}\"");

    public Task WaitForGoneAsync(string text) => WaitUntilAsync(screen => !screen.Contains(text, StringComparison.Ordinal), $"the screen still shows \"{text}\"");

    public async Task<string> WaitUntilAsync(Func<string, bool> done, string failure)
    {
        var until = DateTime.UtcNow + Deadline;
        var screen = "";
        while (DateTime.UtcNow < until)
        {
            screen = await ScreenAsync();
            if (done(screen)) return screen;
        }
        throw new TimeoutException($"{failure}:\n{screen}");
    }

    /// <summary>Waits until a text field has the focus (a dialog's first field), so typing lands in it.</summary>
    public async Task WaitForTextFieldAsync()
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            var focused = await OnUiAsync((app, _) => (app.TopRunnableView as Terminal.Gui.ViewBase.View)?.MostFocused);
            if (focused is Terminal.Gui.Views.TextField) return;
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
            for (var i = 0; i < 5 && !await OnUiAsync((app, shell) => ReferenceEquals(app.TopRunnableView, shell)); i++) await PressAsync(Key.Esc);
            await PressAsync(Key.Q.WithCtrl);
            var quit = Task.Run(() => _thread.Join(Deadline));
            await KeepTimeMovingUntil(quit, "the console did not quit on Ctrl+Q:\n" + _app.Driver?.ToString());
        }
        Client.Dispose();
    }
}
