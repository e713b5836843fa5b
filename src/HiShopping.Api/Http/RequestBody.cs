using System.Buffers;
using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Http;

/// <summary>
/// Reads a request body into its contract record, so that every failure gets the envelope: 4015 for a body that is
/// not JSON, 4013 past 1 MiB, 4000 naming the field for a wrong type, a duplicate property or text that is not valid
/// Unicode. Unknown fields are ignored. The rules about values (required, lengths, patterns) are the services'.
/// </summary>
public static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class =>
        Parse<T>(await ReadRawAsync(request), request.ContentType);

    /// <summary>A body that may be left out: none, or an empty one however it is sent, is null; anything else is read as <see cref="ReadAsync{T}"/>.</summary>
    public static async Task<T?> ReadOptionalAsync<T>(HttpRequest request) where T : class
    {
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody) return null;
        request.EnableBuffering();
        var probe = new byte[1];
        var empty = await request.Body.ReadAsync(probe) == 0;
        request.Body.Position = 0;
        return empty ? null : await ReadAsync<T>(request);
    }

    /// <summary>Parses body bytes already read (the Open API reads them first, to check the signature).</summary>
    public static T Parse<T>(byte[] raw, string? contentType) where T : class
    {
        if (raw.Length == 0)
            throw HiShopException.Invalid("body", "A JSON object body is required.");
        if (!IsJson(contentType))
            throw new HiShopException(ErrorCode.UnsupportedMediaType, "Unsupported media type: send Content-Type: application/json.");
        try
        {
            return JsonSerializer.Deserialize(raw, ApiJsonContext.Info<T>())
                ?? throw HiShopException.Invalid("body", "The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw Problem(e);
        }
    }

    private static HiShopException Problem(JsonException e)
    {
        // The reader's own exception (a subclass) means the text is not JSON at all: that is the body's fault, not a field's.
        var syntax = e.GetType() != typeof(JsonException) || e.InnerException is JsonException;
        var field = !syntax && e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return HiShopException.Invalid(field ?? "body", $"{field ?? "A property"} is given more than once.");
        if (field is null)
            return HiShopException.Invalid("body", e.Path is "$" && e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? "The body must be a JSON object."
                : $"The body is not valid JSON: {FirstSentence(e.Message)}");
        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) || e.InnerException is InvalidOperationException)
            return HiShopException.Invalid(field, $"{field} is not valid here: it has the wrong type, or text that is not valid Unicode.");
        return HiShopException.Invalid(field, $"{field}: {FirstSentence(e.Message)}");
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ') + ".";
    }

    /// <summary>Bodies up to this declared length are read into one array of their size (an order is well under 1 KiB).</summary>
    private const long ExactUpTo = 64 * 1024;

    /// <summary>Reads the body bytes, at most 1 MiB whatever the transfer encoding.</summary>
    public static async Task<byte[]> ReadRawAsync(HttpRequest request)
    {
        var aborted = request.HttpContext.RequestAborted;
        if (request.ContentLength is { } declared and <= ExactUpTo)
        {
            // The usual case (every signed request): read straight into an array of the declared size, one allocation per
            // request instead of a 16 KiB chunk, a growing stream and a copy. Kestrel ends the body at that length.
            // Larger bodies grow as they arrive: a declared length alone must not make the server hold a MiB.
            if (declared == 0) return [];
            var body = new byte[declared];
            var filled = 0;
            int got;
            while (filled < body.Length && (got = await request.Body.ReadAsync(body.AsMemory(filled), aborted)) > 0) filled += got;
            return filled == body.Length ? body : body[..filled];
        }
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, aborted)) > 0)
            {
                if (buffer.Length + read > ApiMiddleware.MaxBodyBytes)
                    throw new HiShopException(ErrorCode.BodyTooLarge, "The request body is larger than 1 MiB.");
                buffer.Write(chunk, 0, read);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(chunk); }
        return buffer.ToArray();
    }

    public static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
         (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)));
}
