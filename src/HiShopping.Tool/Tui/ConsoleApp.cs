using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui;

/// <summary>Runs the dashboard on the real terminal; the terminal is restored on exit, on Ctrl+C and after an error.</summary>
public static class ConsoleApp
{
    public static int Run(IConsoleClient client, TextWriter error)
    {
        IApplication? app = null;
        try
        {
            // An idle console's CPU is Terminal.Gui's main loop iterating (it polls; it does not block while nothing
            // changes). Fewer iterations cost less — 3.4–4.9 % of a core at the default, 2.7–3.8 % at 20 a second on this
            // 2-core machine (30–60 s samples) — and 20 a second is still faster than typing (a key waits at most 50 ms).
            Application.MaximumIterationsPerSecond = 20;
            app = Application.Create().Init();
            var running = app;
            // SIGINT / SIGTERM from outside: stop the loop so disposal restores the terminal, instead of dying raw.
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
            void Stop(System.Runtime.InteropServices.PosixSignalContext context)
            {
                context.Cancel = true;
                running.Invoke(() => running.RequestStop());
            }
            using var shell = new ConsoleShell(app, client);
            // An error that escapes a handler is shown and the console goes on; returning true keeps it running.
            app.Run(shell, e =>
            {
                Ui.Error(app, e);
                return true;
            });
            return 0;
        }
        catch (Exception e)
        {
            app?.Dispose();
            app = null;
            error.WriteLine($"error: the console stopped: {e.Message}");
            return 1;
        }
        finally
        {
            app?.Dispose();
        }
    }
}
