using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using HiShopping.Api.Signing;

namespace HiShopping.Bench;

public sealed class LoadOptions
{
    /// <summary>The servers; connection i goes to the (i mod n)-th (several serve processes on one database).</summary>
    public required Uri[] Urls { get; init; }
    public Uri Url => Urls[0];
    public int Connections { get; set; } = 1;
    public double Seconds { get; set; } = 10;
    public string[]? GetPaths { get; set; }
    public OrderSigner? Orders { get; set; }
    public string Label { get; set; } = "";
    public List<string> Headers { get; } = [];
}

/// <summary>Signs one new order request per call: a fresh nonce and merchant_order_no each time.</summary>
public sealed class OrderSigner(string appId, string apiKey, string signKey, string sku)
{
    private const string Path = "/api/v1/open/orders";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    public byte[] Next(string host)
    {
        var n = Interlocked.Increment(ref _next);
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"merchant_order_no":"B{{{_run}}}-{{{n}}}","items":[{"sku_id":"{{{sku}}}","quantity":1}],"shipping":{"name":"Bench","phone":"+1 555 0100","country":"US","state":"CA","city":"San Francisco","address1":"1 Market St","postal_code":"94105"}}""");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = $"n{_run}{n:x12}";
        var canonical = OpenApiSignature.CanonicalString("POST", Path, "", appId, timestamp, nonce, OpenApiSignature.BodySha256(body));
        var head = $"POST {Path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n" +
                   $"X-App-Id: {appId}\r\nX-Api-Key: {apiKey}\r\nX-Timestamp: {timestamp}\r\nX-Nonce: {nonce}\r\n" +
                   $"X-Signature: {OpenApiSignature.Sign(signKey, canonical)}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}

public sealed class LoadResult
{
    public required string Label { get; init; }
    public int Connections { get; init; }
    public double Seconds { get; init; }
    public required long[] LatenciesTicks { get; init; }
    public long Non2xx { get; init; }
    public long CodeNotZero { get; init; }

    /// <summary>The generator's own CPU time (every thread, user and kernel) while the row ran.</summary>
    public TimeSpan Cpu { get; init; }

    public List<string> Errors { get; } = [];

    public double Rps => LatenciesTicks.Length / Seconds;

    public double PercentileMs(double p)
    {
        if (LatenciesTicks.Length == 0) return double.NaN;
        var index = (int)Math.Ceiling(p / 100 * LatenciesTicks.Length) - 1;
        return LatenciesTicks[Math.Clamp(index, 0, LatenciesTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Label,-34} | {Connections,5} | {Rps,9:N0} | {PercentileMs(50),7:F1} | {PercentileMs(99),7:F1} | {Non2xx,7} | {CodeNotZero,7} | {LatenciesTicks.Length,9} |");
}

public static class LoadRun
{
    /// <summary>Orders signed ahead per second of a row (more than twice what this 2-core machine reaches).</summary>
    public const int PresignedPerSecond = 15_000;

    public const int PresignedMax = 200_000;

    public static async Task<LoadResult> RunAsync(LoadOptions options)
    {
        var host = $"{options.Url.Host}:{options.Url.Port}";
        var gets = (options.GetPaths ?? ["/healthz"]).Select(p =>
            Encoding.ASCII.GetBytes($"GET {p} HTTP/1.1\r\nHost: {host}\r\n{string.Concat(options.Headers.Select(h => h + "\r\n"))}\r\n")).ToArray();
        // Orders are signed before the clock starts, as the issue's wrk method replays pre-signed requests: the load
        // generator shares the two cores with serve, and signing as it sends would take their time from serve. Enough for
        // PresignedPerSecond for the whole row; past that (faster than this machine has ever gone) it signs as it sends.
        // Not for rows near the signature's 300 s window, and at most PresignedMax (~140 MB) in memory.
        var presigned = options.Orders is { } signer && options.Seconds <= 240
            ? Enumerable.Range(0, (int)Math.Min(PresignedMax, Math.Ceiling(options.Seconds * PresignedPerSecond))).Select(_ => signer.Next(host)).ToArray()
            : [];
        // The signed requests, just made, are moved to the oldest generation now: a collection that did it during the row
        // would stop every connection at once.
        if (presigned.Length > 0) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long signedTaken = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
        long turn = -1;
        var workers = Enumerable.Range(0, options.Connections).Select(i => Task.Run(() => Worker(i))).ToArray();
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var results = await Task.WhenAll(workers);
        var elapsed = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var all = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(all);
        var result = new LoadResult
        {
            Label = options.Label, Connections = options.Connections, Seconds = elapsed, LatenciesTicks = all,
            Non2xx = results.Sum(r => r.Non2xx), CodeNotZero = results.Sum(r => r.CodeNotZero), Cpu = cpu,
        };
        result.Errors.AddRange(results.SelectMany(r => r.Errors));
        return result;

        async Task<WorkerResult> Worker(int index)
        {
            var mine = new WorkerResult();
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var url = options.Urls[index % options.Urls.Length];
            await socket.ConnectAsync(url.Host, url.Port);
            var buffer = new byte[64 * 1024];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var request = options.Orders is null ? gets[Interlocked.Increment(ref turn) % gets.Length]
                    : Interlocked.Increment(ref signedTaken) is var taken && taken < presigned.Length ? presigned[taken] : options.Orders.Next(host);
                var start = Stopwatch.GetTimestamp();
                await socket.SendAsync(request);
                var (status, body) = await ReadResponse(socket, buffer);
                mine.Latencies.Add(Stopwatch.GetTimestamp() - start);
                if (status is < 200 or > 299) { mine.Non2xx++; if (mine.Errors.Count < 3) mine.Errors.Add($"{status} {Encoding.UTF8.GetString(body.Span)}"); }
                else if (body.Length > 0 && body.Span[0] == (byte)'{' && !body.Span.StartsWith("{\"code\":0,"u8))
                {
                    mine.CodeNotZero++;
                    if (mine.Errors.Count < 3) mine.Errors.Add(Encoding.UTF8.GetString(body.Span));
                }
            }
            return mine;
        }
    }

    /// <summary>Reads one HTTP/1.1 response (Content-Length or chunked); the status and the body.</summary>
    private static async Task<(int Status, ReadOnlyMemory<byte> Body)> ReadResponse(Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            filled += await Receive(socket, buffer, filled);
        var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var status = int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var bodyStart = headerEnd + 4;
        var lengthAt = head.IndexOf("\r\nContent-Length:", StringComparison.OrdinalIgnoreCase);
        if (lengthAt >= 0)
        {
            var end = head.IndexOf('\r', lengthAt + 2);
            var length = int.Parse(head.AsSpan(lengthAt + 17, (end < 0 ? head.Length : end) - lengthAt - 17).Trim(), CultureInfo.InvariantCulture);
            while (filled < bodyStart + length) filled += await Receive(socket, buffer, filled);
            return (status, buffer.AsMemory(bodyStart, length));
        }
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            // Chunks: "<hex>\r\n<data>\r\n" … "0\r\n\r\n"; the body is gathered after the header.
            var body = new List<byte>();
            var at = bodyStart;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = buffer.AsSpan(at, filled - at).IndexOf("\r\n"u8)) < 0) filled += await Receive(socket, buffer, filled);
                Utf8Parser.TryParse(buffer.AsSpan(at, lineEnd), out int size, out _, 'x');
                at += lineEnd + 2;
                while (filled < at + size + 2) filled += await Receive(socket, buffer, filled);
                body.AddRange(buffer.AsSpan(at, size));
                at += size + 2;
                if (size == 0) return (status, body.ToArray());
            }
        }
        return (status, ReadOnlyMemory<byte>.Empty);
    }

    private static async Task<int> Receive(Socket socket, byte[] buffer, int offset)
    {
        if (offset == buffer.Length) throw new InvalidOperationException("response larger than the read buffer");
        var read = await socket.ReceiveAsync(buffer.AsMemory(offset));
        return read == 0 ? throw new IOException("the server closed the connection") : read;
    }

    private sealed class WorkerResult
    {
        public List<long> Latencies { get; } = new(100_000);
        public long Non2xx { get; set; }
        public long CodeNotZero { get; set; }
        public List<string> Errors { get; } = [];
    }
}
