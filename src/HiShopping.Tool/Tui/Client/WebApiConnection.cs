using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Store;

namespace HiShopping.Tool.Tui.Client;

/// <summary>
/// HTTP to a running <c>hishop serve</c>: the bearer token, and the envelope read into the contract records with the
/// API's own serializer. A code other than 0 becomes a <see cref="HiShopException"/> with that code; an answer that
/// does not fit its contract (a malformed amount, a missing field) is an error too — never a silent default.
/// </summary>
public sealed class WebApiConnection : IDisposable
{
    private readonly HttpClient _http;

    public WebApiConnection(Uri server, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        Server = new Uri(server.ToString().TrimEnd('/') + "/");
        _http.BaseAddress = new Uri(Server, "api/v1/web/");
        _http.Timeout = TimeSpan.FromSeconds(30);
    }

    public Uri Server { get; }

    public bool SignedIn => _http.DefaultRequestHeaders.Authorization is not null;

    public void SetToken(string? token) =>
        _http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            throw new HiShopException(ErrorCode.InternalError, $"Cannot reach the server at {Server}: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new HiShopException(ErrorCode.InternalError, $"The server at {Server} did not answer in time.");
        }
        using (response)
        {
            var raw = await response.Content.ReadAsByteArrayAsync();
            Envelope<JsonElement> envelope;
            try
            {
                envelope = JsonSerializer.Deserialize(raw, ApiJsonContext.Wire.EnvelopeJsonElement)
                    ?? throw new JsonException("empty answer");
            }
            catch (JsonException)
            {
                throw new HiShopException(ErrorCode.InternalError, $"The server answered {(int)response.StatusCode} without the HiShopping envelope.");
            }
            if (envelope.Code != 0) throw Failure(envelope);
            try
            {
                return (JsonSerializer.Deserialize(raw, ApiJsonContext.Info<Envelope<T>>()) ?? throw new JsonException("empty answer")).Data!;
            }
            catch (JsonException e)
            {
                throw new HiShopException(ErrorCode.InternalError, $"The server's answer to {method} {path} does not fit this console: {e.Message}");
            }
        }
    }

    /// <summary>GETs a file the API streams (CSV) into <paramref name="target"/>; an error answer is the envelope's error.</summary>
    public async Task DownloadAsync(string path, Stream target)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            throw new HiShopException(ErrorCode.InternalError, $"Cannot reach the server at {Server}: {e.Message}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/csv")
            {
                var raw = await response.Content.ReadAsByteArrayAsync();
                Envelope<JsonElement>? envelope = null;
                try { envelope = JsonSerializer.Deserialize(raw, ApiJsonContext.Wire.EnvelopeJsonElement); }
                catch (JsonException) { }
                throw envelope is { Code: not 0 } e ? Failure(e) : new HiShopException(ErrorCode.InternalError, $"The server answered {(int)response.StatusCode} to {path}.");
            }
            await response.Content.CopyToAsync(target);
        }
    }

    public static HttpContent Json<T>(T body) => JsonContent.Create(body, ApiJsonContext.Info<T>());

    private static HiShopException Failure(Envelope<JsonElement> envelope)
    {
        object? data = null;
        if (envelope.Data.ValueKind == JsonValueKind.Object)
        {
            try
            {
                data = envelope.Code == (int)ErrorCode.InvalidRequest
                    ? envelope.Data.Deserialize(ApiJsonContext.Wire.FieldErrors)
                    : envelope.Data.Clone();
            }
            catch (JsonException)
            {
                data = envelope.Data.Clone();
            }
        }
        return new HiShopException((ErrorCode)envelope.Code, envelope.Message, data);
    }

    public void Dispose() => _http.Dispose();
}
