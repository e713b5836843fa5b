using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using HiShopping.Api.Hosting;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HiShopping.Api.Features.Webhooks;

/// <summary>How serve delivers webhooks (docs/webhooks.md).</summary>
public sealed record WebhookSettings
{
    /// <summary>
    /// Deliver to loopback, private, link-local and metadata addresses too (<c>--allow-private-webhooks</c>): for local
    /// development and tests. Off by default, so a notify_url cannot make serve reach inside its own network.
    /// </summary>
    public bool AllowPrivateAddresses { get; init; }

    public WebhookRetryPolicy Retry { get; init; } = new();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is read for due events when nothing was sent on the last turn.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Events in flight at once (one per merchant at a time: a merchant's events go out in order).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Delivered and failed events are deleted after this long (they hold order and address data).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>A delivery refused before any byte left: the address is private, or the URL is not one to send to.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);

/// <summary>
/// Delivers the outbox: each merchant's oldest pending event when it is due, POSTed to the app's notify_url as it is
/// now, signed with the app's sign key as it is now. A 2xx delivers it; anything else is tried again per the retry
/// policy (the attempts live in the outbox, so a restart loses none). At least once: a receiver dedupes by event id.
/// </summary>
public sealed class WebhookDispatcher(IServiceProvider services, ServeReadiness readiness, ApiSettings settings, ILogger<WebhookDispatcher> log)
    : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const int MaxResponseBytes = 4096;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        // The store's services are taken once serve has set the store up: before that the data directory may not exist.
        (IWebhookService Webhooks, IAppService Apps, IHttpClientFactory Http)? parts = null;
        // Up to Concurrency deliveries at once, at most one per merchant (a merchant's events go out in order); a slow
        // receiver holds its own slot only, and a finished delivery wakes the loop for that merchant's next event.
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<long, byte>();
        // Not disposed: a delivery still finishing after stop releases them, and they hold no wait handle to free.
        var slots = new SemaphoreSlim(settings.Webhooks.Concurrency);
        var wake = new SemaphoreSlim(0);
        var nextPrune = DateTimeOffset.MinValue;
        while (!stop.IsCancellationRequested)
        {
            var started = 0;
            try
            {
                if (readiness.IsReady)
                {
                    parts ??= (services.GetRequiredService<IWebhookService>(), services.GetRequiredService<IAppService>(), services.GetRequiredService<IHttpClientFactory>());
                    var p = parts.Value;
                    if (DateTimeOffset.UtcNow >= nextPrune)
                    {
                        p.Webhooks.Prune(settings.Webhooks.Retention);
                        nextPrune = DateTimeOffset.UtcNow.AddMinutes(10);
                    }
                    foreach (var delivery in p.Webhooks.Due(settings.Webhooks.Concurrency * 2))
                    {
                        if (!inFlight.TryAdd(delivery.MerchantId, 0)) continue;
                        if (!slots.Wait(0))
                        {
                            inFlight.TryRemove(delivery.MerchantId, out _);
                            break;
                        }
                        started++;
                        _ = Task.Run(async () =>
                        {
                            try
                            {
                                // Taken in the store first: a read that raced the previous attempt's record sends nothing.
                                if (p.Webhooks.Claim(delivery, settings.Webhooks.Timeout + TimeSpan.FromSeconds(30)))
                                    await DeliverAsync(delivery, p.Webhooks, p.Apps, p.Http, stop);
                            }
                            catch (Exception e) when (e is not OperationCanceledException)
                            {
                                log.LogWarning("webhooks: taking {EventId} failed: {Error}", delivery.EventId, e.Message);
                            }
                            finally
                            {
                                inFlight.TryRemove(delivery.MerchantId, out _);
                                slots.Release();
                                wake.Release();
                            }
                        }, CancellationToken.None);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("webhooks: reading the outbox failed: {Error}", e.Message);
            }
            try
            {
                if (started == 0) await wake.WaitAsync(settings.Webhooks.PollInterval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, IWebhookService webhooks, IAppService apps, IHttpClientFactory http, CancellationToken stop)
    {
        DeliveryOutcome outcome;
        try
        {
            outcome = await SendAsync(delivery, apps, http, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return; // serve is stopping: the event stays pending and goes out after the restart
        }
        catch (Exception e)
        {
            // Whatever else goes wrong is this attempt's failure, never the dispatcher's (nor serve's) end.
            outcome = new DeliveryOutcome(false, null, e.Message);
        }
        try
        {
            var recorded = webhooks.Record(delivery.Id, outcome, settings.Webhooks.Retry);
            if (!outcome.Delivered)
                log.LogInformation("webhooks: {EventId} attempt {Attempt} failed ({Error}); {Status}", delivery.EventId, recorded.Attempts, outcome.Error, recorded.Status);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The attempt could not be recorded: hold this merchant back a while rather than send again at once.
            log.LogWarning("webhooks: recording {EventId} failed: {Error}", delivery.EventId, e.Message);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<DeliveryOutcome> SendAsync(WebhookDelivery delivery, IAppService apps, IHttpClientFactory http, CancellationToken stop)
    {
        var app = apps.GetForMerchant(delivery.MerchantId);
        if (string.IsNullOrEmpty(app.NotifyUrl)) return new DeliveryOutcome(false, null, "the app has no notify_url");
        if (!Uri.TryCreate(app.NotifyUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return new DeliveryOutcome(false, null, "notify_url is not an http(s) URL");
        var signKey = apps.SignKey(app.AppId);
        if (signKey is null) return new DeliveryOutcome(false, null, "the app has no sign key to sign with: generate one");

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-HiShop-Signature", $"t={timestamp},v1={Sign(signKey, timestamp, body)}");
        request.Headers.Add("X-HiShop-Event-Id", delivery.EventId);
        request.Headers.Add("X-HiShop-Event-Type", delivery.Type);
        request.Headers.UserAgent.ParseAdd($"HiShopping-Webhooks/{ApiInfo.Version}");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(settings.Webhooks.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // Read at most 4 KiB of the answer: what it says is not used, and a receiver cannot make serve hold more.
            var buffer = new byte[MaxResponseBytes];
            await using (var stream = await response.Content.ReadAsStreamAsync(timeout.Token))
            {
                var read = 0;
                while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), timeout.Token) is var n and > 0) read += n;
            }
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? new DeliveryOutcome(true, code, null)
                : new DeliveryOutcome(false, code, code is >= 300 and < 400 ? $"HTTP {code}: redirects are not followed" : $"HTTP {code}");
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, $"no answer within {settings.Webhooks.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome(false, null, Refusal(e)?.Message ?? $"could not connect: {e.Message}");
        }
    }

    private static WebhookRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is WebhookRefusedException refused) return refused;
        return null;
    }

    /// <summary>The v1 signature: hex HMAC-SHA256 of "{t}.{body}" with the app's sign key.</summary>
    public static string Sign(string signKey, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signKey), message));
    }

    /// <summary>
    /// The connection of every delivery: the name is resolved once, every address it gives is checked, and the socket
    /// connects to those same addresses — so a name that answers differently the second time cannot slip through.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = async (context, cancel) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancel);
            if (addresses.Length == 0) throw new WebhookRefusedException($"{host} has no address");
            // The merchant sees this message: it names no address, so it cannot be used to map the network serve is in.
            if (!allowPrivate && addresses.Any(IsPrivate))
                throw new WebhookRefusedException("refused: notify_url resolves to a loopback, private, link-local or metadata address (serve --allow-private-webhooks allows it)");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static readonly IPNetwork[] Inside =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/96"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
        // IPv6 forms that carry an IPv4 address (NAT64, 6to4, Teredo) could reach one of the ranges above: refused whole.
        IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("2002::/16"), IPNetwork.Parse("2001::/32"),
    ];

    /// <summary>
    /// Loopback, private (RFC 1918, unique local), shared, link-local (the cloud metadata address), reserved, multicast, or
    /// an IPv6 form that embeds an IPv4 address (IPv4-compatible, NAT64, 6to4, Teredo).
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return Inside.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }
}
