using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HiShopping.Api.Contracts;

/// <summary>Times on the wire: ISO 8601 in UTC to the millisecond, <c>2026-11-28T10:48:55.123Z</c>.</summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new JsonException($"'{text}' is not an ISO 8601 time like 2026-11-28T10:48:55.123Z.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        // Written as UTF-8 straight into the JSON: no string per time (a page of entries writes dozens).
        Span<byte> text = stackalloc byte[32]; // the format is 24 bytes for every DateTime
        if (!value.UtcDateTime.TryFormat(text, out var length, Format, CultureInfo.InvariantCulture)) throw new System.Diagnostics.UnreachableException();
        writer.WriteStringValue(text[..length]);
    }

    /// <summary>Store times (Unix milliseconds) as contract times.</summary>
    public static DateTimeOffset From(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    public static DateTimeOffset? From(long? unixMs) => unixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
