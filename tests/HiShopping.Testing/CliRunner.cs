using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HiShopping.Api;
using HiShopping.Store;
using HiShopping.Tool.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Testing;

public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A data directory of its own, and the real CLI entry point run against it.</summary>
public sealed class CliRunner(bool seeded = false) : IDisposable
{
    private ServiceProvider? _services;

    /// <summary>Its own data directory; <c>seeded</c> copies the template store (demo catalog, no users) into it.</summary>
    public string DataDir { get; } = TestData.NewDataDir("cli", seeded);

    public Dictionary<string, string> Env { get; } = new(TestData.Environment);

    public Task<CliResult> RunAsync(params string[] args) => RunRawAsync(["--data-dir", DataDir, .. args]);

    /// <summary>Runs exactly the arguments given, without the runner's --data-dir.</summary>
    public async Task<CliResult> RunRawAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HishopCli.RunAsync(args, output, error, name => Env.GetValueOrDefault(name));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Store services over the same data directory, to check what a command did.</summary>
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public IServiceProvider Services => _services ??= new ServiceCollection().AddHiShoppingDomain(TestData.Options(DataDir)).BuildServiceProvider();

    public void Dispose()
    {
        _services?.Dispose();
        TestData.Delete(DataDir);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The built <c>hishop</c> as a real child process.</summary>
public sealed class HishopProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HishopProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public Process Process => _process;

    public static Task<HishopProcess> StartServeAsync(string dataDir, int port) =>
        StartAsync(["serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{port}"]);

    /// <summary>Starts <c>hishop</c> with these arguments (and environment) and waits until it says it is listening.</summary>
    public static async Task<HishopProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var process = new HishopProcess(Process.Start(Info(args, env))!);
        process._process.OutputDataReceived += (_, e) => process.OnLine(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.OnLine(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        var exited = process._process.WaitForExitAsync();
        try
        {
            await Task.WhenAny(process._listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
        }
        if (!process._listening.Task.IsCompleted)
            throw new InvalidOperationException("hishop did not start:\n" + string.Join('\n', process.Lines));
        return process;
    }

    /// <summary>Runs <c>hishop</c> to its end (at most a minute) and returns its exit code and output.</summary>
    public static async Task<CliResult> RunToExitAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        using var process = Process.Start(Info(args, env))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo Info(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hishop.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in TestData.Environment.Concat(env ?? new Dictionary<string, string>())) info.Environment[name] = value;
        return info;
    }

    /// <summary>Asks the process to stop as Ctrl+C would, and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
        if (line.Contains("press Ctrl+C to stop", StringComparison.Ordinal)) _listening.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
