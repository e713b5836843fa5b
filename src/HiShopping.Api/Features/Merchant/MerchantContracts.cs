using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Credit;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Merchant;

/// <summary>The editable profile; a field left out (or null) stays as it is. Status, fee, credit and ids are not in it.</summary>
public sealed record MerchantProfileRequest
{
    public string? CompanyName { get; init; }
    public string? ContactName { get; init; }
    public string? ContactPhone { get; init; }
    public string? ContactEmail { get; init; }
    public string? Country { get; init; }
    public string? Address { get; init; }
    public string? Website { get; init; }
    public BankAccountRequest? BankAccount { get; init; }

    public MerchantProfileInput ToInput() => new()
    {
        CompanyName = CompanyName?.Trim(), ContactName = ContactName, ContactPhone = ContactPhone, ContactEmail = ContactEmail,
        Country = Country, Address = Address, Website = Website, BankName = BankAccount?.BankName, BankAccountName = BankAccount?.AccountName,
        BankAccountNumber = BankAccount?.AccountNumber, BankSwift = BankAccount?.SwiftCode,
    };
}

public sealed record BankAccountRequest
{
    public string? BankName { get; init; }
    public string? AccountName { get; init; }
    public string? AccountNumber { get; init; }
    public string? SwiftCode { get; init; }
}

/// <summary>A bank account as it may leave the server: the number masked to <c>****1234</c>.</summary>
public sealed record BankAccountResponse(string? BankName, string? AccountName, string? AccountNumber, string? SwiftCode);

public sealed record MerchantResponse(
    long MerchantId, string Email, string CompanyName, string? ContactName, string? ContactPhone, string? ContactEmail,
    string? Country, string? Address, string? Website, BankAccountResponse BankAccount, long FeeRateBps, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static MerchantResponse From(Store.Services.Merchant m) => new(
        m.Id, m.Email, m.CompanyName, m.ContactName, m.ContactPhone, m.ContactEmail, m.Country, m.Address, m.Website,
        new BankAccountResponse(m.BankName, m.BankAccountName, m.BankAccountMasked, m.BankSwift), m.FeeRateBps, m.Status,
        UtcTimeJsonConverter.From(m.CreatedAt), UtcTimeJsonConverter.From(m.UpdatedAt));
}

/// <summary>A merchant in the operator's list: who, their credit and their app, from one query.</summary>
public sealed record MerchantSummaryResponse(
    long MerchantId, long UserId, string Email, string CompanyName, string Status, string UserStatus, Amount Balance, Amount CreditLimit,
    Amount Available, long FeeRateBps, string AppId, string AppStatus, DateTimeOffset CreatedAt)
{
    public static MerchantSummaryResponse From(MerchantListItem m) => new(
        m.MerchantId, m.UserId, m.Email, m.CompanyName, m.Status, m.UserStatus, Amount.Of(m.Balance), Amount.Of(m.CreditLimit),
        Amount.Of(m.Balance + m.CreditLimit), m.FeeRateBps, m.AppId, m.AppStatus, UtcTimeJsonConverter.From(m.CreatedAt));
}

/// <summary>One merchant whole, for operators: profile, app and credit (<c>hishop merchant show --json</c>).</summary>
public sealed record MerchantOverviewResponse(MerchantResponse Merchant, string UserStatus, AppResponse App, ApiKeyResponse ApiKey, CreditResponse Credit);
