using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using HiShopping.Api.Http;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Hosting;

/// <summary>
/// <c>serve --access-log</c>: one line per request — time, client address, method, path, status, milliseconds,
/// request id. Never the query, a header, a token, a key, a signature or a body. Lines go through a bounded queue to
/// a writer task, so a slow terminal slows logging, not the request that was answered.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly Task _writer;

    public AccessLog(TextWriter output)
    {
        _writer = Task.Run(async () =>
        {
            await foreach (var line in _lines.Reader.ReadAllAsync())
            {
                await output.WriteLineAsync(line);
                if (_lines.Reader.Count == 0) await output.FlushAsync();
            }
            await output.FlushAsync();
        });
    }

    public static string Line(DateTimeOffset at, string client, string method, string path, int status, double ms, string requestId) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {client} {method} {path} {status} {ms:0.0}ms {requestId}");

    public ValueTask WriteAsync(string line) => _lines.Writer.TryWrite(line) ? ValueTask.CompletedTask : _lines.Writer.WriteAsync(line);

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer;
    }
}

/// <summary>Times each request and hands its line to the <see cref="AccessLog"/>.</summary>
public sealed class AccessLogMiddleware(RequestDelegate next, AccessLog log, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var at = clock.GetUtcNow();
        try
        {
            await next(context);
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "-";
            await log.WriteAsync(AccessLog.Line(at, client, context.Request.Method, context.Request.PathBase + context.Request.Path,
                context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode, ms, Envelope.RequestId(context)));
        }
    }
}
