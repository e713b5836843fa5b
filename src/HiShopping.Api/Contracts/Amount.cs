using System.Text.Json;
using System.Text.Json.Serialization;
using HiShopping.Store;

namespace HiShopping.Api.Contracts;

/// <summary>
/// Money in a contract: minor units inside, a string with exactly two decimals on the wire (<c>"12.50"</c>).
/// Reading is strict: anything but an optional minus, digits, a point and two digits is an error, never a zero.
/// </summary>
[JsonConverter(typeof(AmountJsonConverter))]
public readonly record struct Amount(long Minor) : IComparable<Amount>
{
    public static Amount Of(long minor) => new(minor);

    public static Amount? Of(long? minor) => minor is { } m ? new Amount(m) : null;

    public int CompareTo(Amount other) => Minor.CompareTo(other.Minor);

    public override string ToString() => Money.Format(Minor);

    /// <summary>Parses the wire form; false for anything else.</summary>
    public static bool TryParse(string? text, out Amount amount)
    {
        amount = default;
        if (text is null || text.Length < 4) return false;
        var body = text[0] == '-' ? text.AsSpan(1) : text.AsSpan();
        var dot = body.Length - 3;
        if (dot < 1 || body[dot] != '.' || !body[..dot].ContainsOnlyAsciiDigits() || !body[(dot + 1)..].ContainsOnlyAsciiDigits()) return false;
        if (!Money.TryParse(text, out var minor, allowNegative: true)) return false;
        amount = new Amount(minor);
        return true;
    }
}

internal static class SpanDigits
{
    public static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');
}

public sealed class AmountJsonConverter : JsonConverter<Amount>
{
    public override Amount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("An amount must be a string with two decimals, like \"12.50\".");
        var text = reader.GetString();
        return Amount.TryParse(text, out var amount) ? amount : throw new JsonException($"'{text}' is not an amount with two decimals, like \"12.50\".");
    }

    public override void Write(Utf8JsonWriter writer, Amount value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[Money.MaxFormattedLength];
        writer.WriteStringValue(text[..Money.FormatUtf8(value.Minor, text)]);
    }
}
