using System.Net;
using System.Text.RegularExpressions;

namespace HiShopping.Store;

/// <summary>
/// Every limit and pattern of the product, defined once. The services check input against them; the API, the CLI
/// and the console only translate what people type and show the errors the services raise.
/// </summary>
public static partial class Rules
{
    // Accounts.
    public const int EmailMax = 254;
    public const int PasswordMin = 8;
    public const int PasswordMax = 128;

    // Merchant profile.
    public const int CompanyNameMax = 200;
    public const int ContactNameMax = 200;
    public const int ContactPhoneMax = 40;
    public const int CountryMax = 100;
    public const int AddressMax = 500;
    public const int WebsiteMax = 500;
    public const int BankNameMax = 200;
    public const int BankAccountNameMax = 200;
    public const int SwiftCodeMax = 11;

    // The app.
    public const int AppNameMax = 100;
    public const int NotifyUrlMax = 500;
    public const int IpWhitelistMax = 50;

    // Orders.
    public const int MaxOrderLines = 50;
    public const int MaxQuantity = 999;
    public const int RemarkMax = 500;
    public const int ReasonMax = 500;
    public const int CarrierMax = 100;
    public const int TrackingNoMax = 100;
    public const int ShippingNameMax = 100;
    public const int ShippingPhoneMax = 40;
    public const int ShippingRegionMax = 100;
    public const int ShippingAddressMax = 200;
    public const int PostalCodeMax = 20;

    // Credit.
    public const int MemoMax = 500;
    public const int FeeRateMaxBps = 10_000;

    // Lists.
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 1_000_000;
    public const int KeywordMax = 100;

    /// <summary>Goods and order lists count their matches up to this many; past it the total is an estimate.</summary>
    public const int CountCap = 10_000;

    /// <summary>merchant_order_no, and the ids of the catalog: 1–64 of A-Z a-z 0-9 _ -.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex Id();

    /// <summary>An Open API request's X-Nonce: 8–64 of A-Z a-z 0-9 _ -.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    public static partial Regex Nonce();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 \-]{2,32}[A-Za-z0-9]$")]
    private static partial Regex AccountNumberPattern();

    public static bool IsEmail(string? value) => value is { Length: > 0 and <= EmailMax } && EmailPattern().IsMatch(value);

    public static bool IsBankAccountNumber(string? value) => value is not null && AccountNumberPattern().IsMatch(value);

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    public static bool IsIpOrCidr(string value)
    {
        var v = value.Trim();
        return v.Contains('/') ? IPNetwork.TryParse(v, out _) : IPAddress.TryParse(v, out _);
    }

    /// <summary>Top-ups move 0.01 to 1,000,000,000.00.</summary>
    public static void TopUpAmount(Validation v, long amount)
    {
        if (amount <= 0 || amount > Money.MaxAmount)
            v.Add("amount", $"amount must be more than 0.00 and at most {Money.Format(Money.MaxAmount)}.");
    }

    /// <summary>Adjustments move up to 1,000,000,000.00 either way, never 0.</summary>
    public static void AdjustAmount(Validation v, long amount)
    {
        if (amount == 0 || Math.Abs(amount) > Money.MaxAmount)
            v.Add("amount", $"amount must not be 0.00 and at most {Money.Format(Money.MaxAmount)} either way.");
    }

    public static void CreditLimit(Validation v, long limit)
    {
        if (limit < 0 || limit > Money.MaxAmount)
            v.Add("credit_limit", $"credit_limit must be 0.00 to {Money.Format(Money.MaxAmount)}.");
    }

    public static void FeeRate(Validation v, long bps)
    {
        if (bps is < 0 or > FeeRateMaxBps) v.Add("fee_rate_bps", $"fee_rate_bps must be 0 to {FeeRateMaxBps} (basis points of the goods amount).");
    }

    public static void Memo(Validation v, string? memo, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(memo)) v.Add("memo", "memo is required: say why.");
        v.Length("memo", memo, MemoMax);
    }

    public static void Password(Validation v, string? password, string field)
    {
        if (password is null || password.Length < PasswordMin || password.Length > PasswordMax)
            v.Add(field, $"{field} must be {PasswordMin}–{PasswordMax} characters.");
    }
}
