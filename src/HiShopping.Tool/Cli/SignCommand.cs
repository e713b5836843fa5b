using System.CommandLine;
using System.Globalization;
using System.Text;
using HiShopping.Api.Signing;
using HiShopping.Store;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop sign</c>: shows how a request is signed, so integrators can check their own signer against it.</summary>
public static class SignCommand
{
    public static Command Build(Func<string, string?> env)
    {
        var appId = new Option<string>("--app-id") { Description = "The app's App ID", Required = true };
        var apiKey = new Option<string?>("--api-key") { Description = "The API key, sent as X-Api-Key (else env HISHOP_API_KEY; an argument is visible in ps)" };
        var signKey = new Option<string?>("--sign-key") { Description = "The sign key, the HMAC key, never sent (else --sign-key-file or env HISHOP_SIGN_KEY; an argument is visible in ps)" };
        var signKeyFile = new Option<string?>("--sign-key-file") { Description = "A file holding the sign key (its first line)" };
        var method = new Argument<string>("METHOD") { Description = "GET, POST, …" };
        var path = new Argument<string>("PATH") { Description = "The request path, e.g. /api/v1/open/goods (a ?query may follow)" };
        var query = new Option<string?>("--query") { Description = "The raw query string, without '?'" };
        var body = new Option<string?>("--body") { Description = "A file whose exact bytes are the body, or - for standard input" };
        var timestamp = new Option<string?>("--timestamp") { Description = "Unix seconds (default: now)" };
        var nonce = new Option<string?>("--nonce") { Description = "8–64 of A-Z a-z 0-9 _ - (default: random)" };
        var server = new Option<string?>("--server") { Description = "Base URL for the curl line (default: the configured serve address)" };
        var command = new Command("sign", "Print the canonical string, the headers and a curl line for a signed Open API request. " +
            "Keys: --api-key or HISHOP_API_KEY; --sign-key, --sign-key-file or HISHOP_SIGN_KEY (the environment and the file keep them out of ps)")
        {
            appId, apiKey, signKey, signKeyFile, method, path, query, body, timestamp, nonce, server,
        };
        HishopCli.Handle(command, env, async c =>
        {
            var verb = c.Parse.GetValue(method)!.ToUpperInvariant();
            if (verb is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE")) throw new UsageException($"METHOD must be GET, POST, PUT, PATCH or DELETE (got '{verb}').");
            var target = c.Parse.GetValue(path)!;
            if (!target.StartsWith('/')) throw new UsageException("PATH must start with '/', e.g. /api/v1/open/goods.");
            var rawQuery = c.Value(query);
            if (target.Contains('?'))
            {
                if (rawQuery is not null) throw new UsageException("give the query either in PATH or with --query, not both.");
                rawQuery = target[(target.IndexOf('?') + 1)..];
                target = target[..target.IndexOf('?')];
            }
            var ts = c.Value(timestamp) ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out _)) throw new UsageException($"--timestamp must be Unix seconds (got '{ts}').");
            var n = c.Value(nonce) ?? NewNonce();
            if (!Rules.Nonce().IsMatch(n)) throw new UsageException("--nonce must be 8–64 of A-Z a-z 0-9 _ -.");

            var bodyFile = c.Value(body);
            byte[] bytes = bodyFile switch
            {
                null => [],
                "-" => await ReadStdinAsync(),
                _ => File.Exists(bodyFile) ? await File.ReadAllBytesAsync(bodyFile) : throw new UsageException($"--body file {bodyFile} does not exist."),
            };
            var api = c.Value(apiKey) ?? env("HISHOP_API_KEY") ?? throw new UsageException("the API key is missing: give --api-key or set HISHOP_API_KEY.");
            var sign = SignKey(c.Value(signKey), c.Value(signKeyFile), env("HISHOP_SIGN_KEY"));
            var baseUrl = (c.Value(server) ?? DemoCommand.ServerUrl(c)).TrimEnd('/');
            var request = Signed(verb, target, rawQuery, c.Value(appId), api, sign, ts, n, bytes);

            c.Out.WriteLine("canonical string (between the lines):");
            c.Out.WriteLine("----");
            c.Out.WriteLine(request.Canonical);
            c.Out.WriteLine("----");
            c.Out.WriteLine();
            c.Out.WriteLine("headers:");
            foreach (var (name, value) in request.Headers) c.Out.WriteLine($"{name}: {value}");
            c.Out.WriteLine();
            var data = bytes.Length == 0 ? null : bodyFile is not "-" ? "@" + Path.GetFullPath(bodyFile!) : Encoding.UTF8.GetString(bytes);
            c.Out.WriteLine(Curl(verb, baseUrl + target + (string.IsNullOrEmpty(rawQuery) ? "" : "?" + rawQuery), request.Headers, data));
            return HishopCli.Ok;
        });
        return command;
    }

    private static string SignKey(string? flag, string? file, string? fromEnv)
    {
        if ((flag is null ? 0 : 1) + (file is null ? 0 : 1) > 1) throw new UsageException("give the sign key once: --sign-key or --sign-key-file.");
        if (flag is not null) return flag;
        if (file is not null)
        {
            if (!File.Exists(file)) throw new UsageException($"--sign-key-file {file} does not exist.");
            var key = File.ReadLines(file).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(key) ? throw new UsageException($"--sign-key-file {file} is empty.") : key;
        }
        return string.IsNullOrWhiteSpace(fromEnv)
            ? throw new UsageException("the sign key is missing: give --sign-key-file FILE, set HISHOP_SIGN_KEY, or --sign-key.")
            : fromEnv.Trim();
    }

    public sealed record SignedRequest(string Canonical, IReadOnlyList<(string Name, string Value)> Headers);

    public static SignedRequest Signed(string method, string path, string? rawQuery, string appId, string apiKey, string signKey, string timestamp, string nonce, byte[] body)
    {
        var canonical = OpenApiSignature.CanonicalString(method, path, rawQuery, appId, timestamp, nonce, OpenApiSignature.BodySha256(body));
        return new SignedRequest(canonical,
        [
            (OpenApiSignature.AppIdHeader, appId), (OpenApiSignature.ApiKeyHeader, apiKey), (OpenApiSignature.TimestampHeader, timestamp),
            (OpenApiSignature.NonceHeader, nonce), (OpenApiSignature.SignatureHeader, OpenApiSignature.Sign(signKey, canonical)),
        ]);
    }

    /// <summary>A curl command line; <paramref name="data"/> is inline text, or <c>@file</c> to send a file's exact bytes.</summary>
    public static string Curl(string method, string url, IEnumerable<(string Name, string Value)> headers, string? data)
    {
        var sb = new StringBuilder($"curl -sS -X {method} {Quote(url)}");
        foreach (var (name, value) in headers) sb.Append(" \\\n  -H ").Append(Quote($"{name}: {value}"));
        if (data is not null) sb.Append(" \\\n  -H 'Content-Type: application/json' --data-binary ").Append(Quote(data));
        return sb.ToString();
    }

    public static string NewNonce() => "n" + Guid.NewGuid().ToString("N")[..20];

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static async Task<byte[]> ReadStdinAsync()
    {
        using var buffer = new MemoryStream();
        await Console.OpenStandardInput().CopyToAsync(buffer);
        return buffer.ToArray();
    }

}
