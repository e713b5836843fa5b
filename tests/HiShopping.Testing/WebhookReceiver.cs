using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HiShopping.Testing;

/// <summary>A webhook as the receiver got it: the raw body and the headers that matter.</summary>
public sealed record ReceivedWebhook(byte[] Body, string Signature, string EventId, string EventType, int AnsweredWith)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel): records every POST to /hook and answers with the next code of
/// <see cref="Answers"/> (200 once they run out).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly Queue<int> _answers;

    private WebhookReceiver(WebApplication app, IEnumerable<int> answers)
    {
        _app = app;
        _answers = new Queue<int>(answers);
    }

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync(IEnumerable<int>? answers = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, answers ?? []);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            int code;
            lock (receiver._answers) code = receiver._answers.Count > 0 ? receiver._answers.Dequeue() : 200;
            await receiver._received.Writer.WriteAsync(new ReceivedWebhook(buffer.ToArray(), request.Headers["X-HiShop-Signature"].ToString(),
                request.Headers["X-HiShop-Event-Id"].ToString(), request.Headers["X-HiShop-Event-Type"].ToString(), code));
            return Results.StatusCode(code);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The next webhook received, within the deadline.</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(20));
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no webhook reached {Url} within {(deadline ?? TimeSpan.FromSeconds(20)).TotalSeconds:0} s");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
