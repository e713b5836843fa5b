namespace HiShopping.Store.Tests;

public sealed class MoneyTests
{
    [Test]
    [Arguments("100", 10_000L)]
    [Arguments("100.5", 10_050L)]
    [Arguments("0.01", 1L)]
    [Arguments("12.50", 1_250L)]
    [Arguments(" 7.00 ", 700L)]
    public async Task Amounts_parse_to_minor_units(string text, long expected)
    {
        await Assert.That(Money.TryParse(text, out var minor)).IsTrue();
        await Assert.That(minor).IsEqualTo(expected);
    }

    [Test]
    [Arguments("abc")]
    [Arguments("1.234")]
    [Arguments("-5")]
    [Arguments("1e3")]
    [Arguments("1.")]
    [Arguments(".5")]
    [Arguments("")]
    [Arguments("1,000.00")]
    public async Task Bad_amounts_do_not_parse(string text) =>
        await Assert.That(Money.TryParse(text, out _)).IsFalse();

    [Test]
    public async Task Negative_amounts_parse_only_when_allowed()
    {
        await Assert.That(Money.TryParse("-25.5", out var minor, allowNegative: true)).IsTrue();
        await Assert.That(minor).IsEqualTo(-2_550);
    }

    [Test]
    [Arguments(0L, "0.00")]
    [Arguments(5L, "0.05")]
    [Arguments(1_250L, "12.50")]
    [Arguments(-1_999L, "-19.99")]
    [Arguments(100_000_000_000L, "1000000000.00")]
    [Arguments(-5L, "-0.05")]
    [Arguments(-100L, "-1.00")]
    [Arguments(long.MaxValue, "92233720368547758.07")]
    [Arguments(long.MinValue, "-92233720368547758.08")]
    public async Task Minor_units_format_with_two_decimals(long minor, string expected)
    {
        await Assert.That(Money.Format(minor)).IsEqualTo(expected);
        var utf8 = new byte[Money.MaxFormattedLength];
        await Assert.That(System.Text.Encoding.ASCII.GetString(utf8, 0, Money.FormatUtf8(minor, utf8))).IsEqualTo(expected);
    }

    [Test]
    public async Task Formatting_into_a_buffer_too_small_for_any_amount_is_refused() =>
        await Assert.That(() => Money.FormatUtf8(1_250, new byte[Money.MaxFormattedLength - 1])).Throws<ArgumentException>();

    [Test]
    public async Task Formatting_agrees_with_decimal_arithmetic_across_magnitudes()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 20_000; i++)
        {
            var minor = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 63);
            var expected = (minor < 0 ? "-" : "") + (Math.Abs((decimal)minor) / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            if (Money.Format(minor) != expected) await Assert.That(Money.Format(minor)).IsEqualTo(expected).Because(minor.ToString());
        }
    }

    [Test]
    public async Task Times_format_as_iso_8601_utc_with_milliseconds() =>
        await Assert.That(Times.Iso(1_795_862_935_123)).IsEqualTo("2026-11-28T10:48:55.123Z");
}
