using System.Globalization;
using System.Text.Json;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Http;

/// <summary>
/// Reads a JSON object body by hand, so that every failure gets the envelope: 4015 for a body that is not JSON,
/// 4013 past 1 MiB, 4000 with per-field messages for bad JSON or bad fields. Unknown fields are ignored.
/// </summary>
public sealed class JsonBody
{
    private readonly JsonElement _root;
    private readonly Dictionary<string, List<string>> _errors = [];

    private JsonBody(JsonElement root, byte[] raw)
    {
        _root = root;
        Raw = raw;
    }

    /// <summary>The exact bytes received.</summary>
    public byte[] Raw { get; }

    public static async Task<JsonBody> ReadAsync(HttpRequest request) => Parse(await ReadRawAsync(request), request.ContentType);

    /// <summary>Parses body bytes already read (the Open API reads them first, to check the signature).</summary>
    public static JsonBody Parse(byte[] raw, string? contentType)
    {
        if (raw.Length == 0)
            throw HiShopException.Invalid("body", "A JSON object body is required.");
        if (!IsJson(contentType))
            throw new HiShopException(ErrorCode.UnsupportedMediaType, "Unsupported media type: send Content-Type: application/json.");
        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw HiShopException.Invalid("body", "The body must be a JSON object.");
            return new JsonBody(document.RootElement.Clone(), raw);
        }
        catch (JsonException e)
        {
            throw HiShopException.Invalid("body", $"The body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Reads the body bytes, at most 1 MiB whatever the transfer encoding.</summary>
    public static async Task<byte[]> ReadRawAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > ApiMiddleware.MaxBodyBytes)
                throw new HiShopException(ErrorCode.BodyTooLarge, "The request body is larger than 1 MiB.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
         (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)));

    public bool Has(string name) => _root.TryGetProperty(name, out _);

    public string? String(string name, bool required = false, int maxLength = 1000) => StringAt(_root, name, name, required, maxLength);

    public JsonObjectReader? Object(string name, bool required = false)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(name, $"{name} is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, $"{name} must be an object.");
            return null;
        }
        return new JsonObjectReader(this, value, name);
    }

    public IReadOnlyList<string>? StringArray(string name, int maxItems = 100)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            Error(name, $"{name} must be an array of at most {maxItems} strings.");
            return null;
        }
        var items = new List<string>();
        foreach (var (item, i) in value.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (!TryText(item, out var text)) { Error(name, NotText($"{name}[{i}]")); return null; }
            items.Add(text);
        }
        return items;
    }

    public IReadOnlyList<JsonObjectReader>? ObjectArray(string name, bool required = false)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(name, $"{name} is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            Error(name, $"{name} must be an array of objects.");
            return null;
        }
        return value.EnumerateArray().Select((e, i) => new JsonObjectReader(this, e, $"{name}[{i}]")).ToList();
    }

    internal string? StringAt(JsonElement obj, string name, string path, bool required, int maxLength)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(path, $"{path} is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(path, $"{path} must be a string.");
            return null;
        }
        if (!TryText(value, out var s))
        {
            Error(path, NotText(path));
            return null;
        }
        if (required && s.Trim().Length == 0) Error(path, $"{path} must not be empty.");
        if (s.Length > maxLength) Error(path, $"{path} must be at most {maxLength} characters.");
        return s;
    }

    internal long? IntegerAt(JsonElement obj, string name, string path, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(path, $"{path} is required.");
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String && TryText(value, out var digits) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out n)) return n;
        Error(path, $"{path} must be a whole number.");
        return null;
    }

    /// <summary>
    /// The string's text, unless it escapes half of a surrogate pair (<c>"\ud800"</c>): valid JSON, but no text, and
    /// System.Text.Json refuses to turn it into a string. (Invalid UTF-8 bytes never get this far: the parser refuses them.)
    /// </summary>
    private static bool TryText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static string NotText(string path) => $"{path} is not valid text (it holds a lone surrogate escape).";

    public void Error(string field, string message) =>
        (_errors.TryGetValue(field, out var list) ? list : _errors[field] = []).Add(message);

    /// <summary>Throws 4000 with every field error found so far.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw HiShopException.Invalid(_errors);
    }
}

/// <summary>A nested object of a <see cref="JsonBody"/>; its errors are reported under the dotted path.</summary>
public sealed class JsonObjectReader(JsonBody body, JsonElement element, string path)
{
    public string? String(string name, bool required = false, int maxLength = 1000) =>
        body.StringAt(element, name, $"{path}.{name}", required, maxLength);

    public long? Integer(string name, bool required = false) => body.IntegerAt(element, name, $"{path}.{name}", required);
}
