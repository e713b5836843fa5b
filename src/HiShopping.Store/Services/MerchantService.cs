using System.Data;
using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Security;

namespace HiShopping.Store.Services;

public sealed record Merchant
{
    public long Id { get; init; }
    public long UserId { get; init; }
    public required string Email { get; init; }
    public required string CompanyName { get; init; }
    public string? ContactName { get; init; }
    public string? ContactPhone { get; init; }
    public string? ContactEmail { get; init; }
    public string? Country { get; init; }
    public string? Address { get; init; }
    public string? Website { get; init; }
    public string? BankName { get; init; }
    public string? BankAccountName { get; init; }
    public string? BankAccountLast4 { get; init; }
    public string? BankSwift { get; init; }
    public long FeeRateBps { get; init; }
    public required string Status { get; init; }
    public required string UserStatus { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    /// <summary>The bank account number as it may leave the server: <c>****1234</c>.</summary>
    public string? BankAccountMasked => BankAccountLast4 is null ? null : "****" + BankAccountLast4;
}

/// <summary>A merchant in the operator's list: who, the credit account and the app, from one query (no ledger read).</summary>
public sealed record MerchantListItem
{
    public long MerchantId { get; init; }
    public long UserId { get; init; }
    public required string Email { get; init; }
    public required string CompanyName { get; init; }
    public required string Status { get; init; }
    public required string UserStatus { get; init; }
    public long Balance { get; init; }
    public long CreditLimit { get; init; }
    public long FeeRateBps { get; init; }
    public required string AppId { get; init; }
    public required string AppStatus { get; init; }
    public long CreatedAt { get; init; }
}

public sealed record MerchantQuery : PagedQuery
{
    /// <summary>Matches the user's email or the company name, in part.</summary>
    public string? Keyword { get; init; }
}

/// <summary>The editable part of a merchant profile. A null member means "leave as it is".</summary>
public sealed record MerchantProfileInput
{
    public string? CompanyName { get; init; }
    public string? ContactName { get; init; }
    public string? ContactPhone { get; init; }
    public string? ContactEmail { get; init; }
    public string? Country { get; init; }
    public string? Address { get; init; }
    public string? Website { get; init; }
    public string? BankName { get; init; }
    public string? BankAccountName { get; init; }
    public string? BankAccountNumber { get; init; }
    public string? BankSwift { get; init; }
}

public interface IMerchantService
{
    Merchant Create(long userId, MerchantProfileInput input);
    Merchant? FindByUser(long userId);
    Merchant GetByUser(long userId);
    Merchant? Get(long merchantId);

    /// <summary>Finds a merchant by its user's email or by its numeric id, as operators name them.</summary>
    Merchant Resolve(string emailOrId);

    Merchant Update(long userId, MerchantProfileInput input);

    /// <summary>Merchants with their credit and app, oldest first; reads no ledger, so it stays fast at any ledger size.</summary>
    PageOf<MerchantListItem> List(MerchantQuery query);
}

public sealed class MerchantService(Db db, SecretBox secrets, TimeProvider clock) : IMerchantService
{
    /// <summary>What a merchant user meets before creating the profile (the API adds how to create it).</summary>
    public const string NoProfileMessage = "No merchant profile yet: create the merchant profile first.";

    internal const string SelectMerchant = """
        SELECT m.id AS Id, m.user_id AS UserId, u.email AS Email, m.company_name AS CompanyName,
               m.contact_name AS ContactName, m.contact_phone AS ContactPhone, m.contact_email AS ContactEmail,
               m.country AS Country, m.address AS Address, m.website AS Website,
               m.bank_name AS BankName, m.bank_account_name AS BankAccountName, m.bank_account_last4 AS BankAccountLast4,
               m.bank_swift AS BankSwift, m.fee_rate_bps AS FeeRateBps, m.status AS Status, u.status AS UserStatus,
               m.created_at AS CreatedAt, m.updated_at AS UpdatedAt
        FROM merchants m JOIN users u ON u.id = m.user_id
        """;

    public Merchant Create(long userId, MerchantProfileInput input)
    {
        Validate(input, creating: true);
        var now = Times.Now(clock);
        var bankEnc = input.BankAccountNumber is { Length: > 0 } n ? secrets.Seal(n, "bank_account") : null;
        return db.Write((c, t) =>
        {
            var role = c.QuerySingleOrDefault<string>("SELECT role FROM users WHERE id = @userId", new { userId }, t)
                ?? throw new HiShopException(ErrorCode.Unauthorized, "The user no longer exists.");
            if (role != Roles.Merchant)
                throw new HiShopException(ErrorCode.Forbidden, "Only merchant users have a merchant profile.");
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM merchants WHERE user_id = @userId", new { userId }, t) > 0)
                throw new HiShopException(ErrorCode.Conflict, "This user already has a merchant profile.");

            const string InsertMerchant = """
                INSERT INTO merchants (user_id, company_name, contact_name, contact_phone, contact_email, country, address, website,
                                       bank_name, bank_account_name, bank_account_enc, bank_account_last4, bank_swift,
                                       fee_rate_bps, status, created_at, updated_at)
                VALUES (@userId, @CompanyName, @ContactName, @ContactPhone, @ContactEmail, @Country, @Address, @Website,
                        @BankName, @BankAccountName, @bankEnc, @last4, @BankSwift, 0, 'active', @now, @now)
                RETURNING id
                """;
            var merchantId = c.ExecuteScalar<long>(InsertMerchant, new
            {
                userId, input.CompanyName, input.ContactName, input.ContactPhone, input.ContactEmail, input.Country,
                input.Address, input.Website, input.BankName, input.BankAccountName, bankEnc,
                last4 = Last4(input.BankAccountNumber), input.BankSwift, now,
            }, t);

            c.Execute("INSERT INTO credit_accounts (merchant_id, balance, credit_limit, currency, updated_at) VALUES (@merchantId, 0, 0, 'USD', @now)",
                new { merchantId, now }, t);
            const string InsertApp = """
                INSERT INTO apps (merchant_id, app_id, name, status, ip_whitelist, created_at, updated_at)
                VALUES (@merchantId, @appId, @name, 'active', '[]', @now, @now)
                """;
            c.Execute(InsertApp, new { merchantId, appId = Keys.NewAppId(), name = input.CompanyName, now }, t);
            return GetById(c, t, merchantId)!;
        });
    }

    public Merchant? FindByUser(long userId)
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<Merchant>(SelectMerchant + " WHERE m.user_id = @userId", new { userId });
    }

    public Merchant GetByUser(long userId) =>
        FindByUser(userId) ?? throw new HiShopException(ErrorCode.NotFound, NoProfileMessage);

    public Merchant? Get(long merchantId)
    {
        using var c = db.Open();
        return GetById(c, null, merchantId);
    }

    public Merchant Resolve(string emailOrId)
    {
        using var c = db.Open();
        var key = (emailOrId ?? "").Trim();
        var merchant = long.TryParse(key, out var id)
            ? GetById(c, null, id)
            : c.QuerySingleOrDefault<Merchant>(SelectMerchant + " WHERE u.email = @email", new { email = AccountService.NormalizeEmail(key) });
        return merchant ?? throw new HiShopException(ErrorCode.NotFound, $"No merchant matches '{key}' (give the merchant user's email or the merchant id).");
    }

    private static string ListWhere(Dialect d) => $"WHERE @keyword IS NULL OR {d.Contains("u.email", "@keyword")} OR {d.Contains("lower(m.company_name)", "@keyword")}";

    /// <summary>The merchant list: merchants, users, credit accounts and apps; never the ledger.</summary>
    internal static string ListSql(Dialect d) => """
        SELECT m.id AS MerchantId, m.user_id AS UserId, u.email AS Email, m.company_name AS CompanyName, m.status AS Status, u.status AS UserStatus,
               a.balance AS Balance, a.credit_limit AS CreditLimit, m.fee_rate_bps AS FeeRateBps, p.app_id AS AppId, p.status AS AppStatus,
               m.created_at AS CreatedAt
        FROM merchants m
        JOIN users u ON u.id = m.user_id
        JOIN credit_accounts a ON a.merchant_id = m.id
        JOIN apps p ON p.merchant_id = m.id
        """ + "\n" + ListWhere(d);

    public PageOf<MerchantListItem> List(MerchantQuery query)
    {
        Validation.Check(v =>
        {
            query.CheckPaging(v);
            v.Length("keyword", query.Keyword, Rules.KeywordMax);
        });
        var keyword = string.IsNullOrWhiteSpace(query.Keyword) ? null : query.Keyword.Trim().ToLowerInvariant();
        using var c = db.Open();
        var args = new { keyword, limit = query.PageSize, offset = query.Offset };
        var total = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM merchants m JOIN users u ON u.id = m.user_id {ListWhere(db.Dialect)}", args);
        var items = c.Query<MerchantListItem>($"{ListSql(db.Dialect)} ORDER BY m.id LIMIT @limit OFFSET @offset", args).AsList();
        return new PageOf<MerchantListItem>(items, query.Page, query.PageSize, total);
    }

    public Merchant Update(long userId, MerchantProfileInput input)
    {
        Validate(input, creating: false);
        var now = Times.Now(clock);
        var bankEnc = input.BankAccountNumber is { Length: > 0 } n ? secrets.Seal(n, "bank_account") : null;
        return db.Write((c, t) =>
        {
            var merchantId = c.QuerySingleOrDefault<long?>("SELECT id FROM merchants WHERE user_id = @userId", new { userId }, t)
                ?? throw new HiShopException(ErrorCode.NotFound, NoProfileMessage);
            // COALESCE keeps every field the request did not name; status, fee rate, credit and ids are not in this statement at all.
            const string Sql = """
                UPDATE merchants SET
                    company_name = COALESCE(@CompanyName, company_name),
                    contact_name = COALESCE(@ContactName, contact_name),
                    contact_phone = COALESCE(@ContactPhone, contact_phone),
                    contact_email = COALESCE(@ContactEmail, contact_email),
                    country = COALESCE(@Country, country),
                    address = COALESCE(@Address, address),
                    website = COALESCE(@Website, website),
                    bank_name = COALESCE(@BankName, bank_name),
                    bank_account_name = COALESCE(@BankAccountName, bank_account_name),
                    bank_account_enc = COALESCE(@bankEnc, bank_account_enc),
                    bank_account_last4 = COALESCE(@last4, bank_account_last4),
                    bank_swift = COALESCE(@BankSwift, bank_swift),
                    updated_at = @now
                WHERE id = @merchantId
                """;
            c.Execute(Sql, new
            {
                input.CompanyName, input.ContactName, input.ContactPhone, input.ContactEmail, input.Country, input.Address,
                input.Website, input.BankName, input.BankAccountName, bankEnc, last4 = Last4(input.BankAccountNumber),
                input.BankSwift, now, merchantId,
            }, t);
            return GetById(c, t, merchantId)!;
        });
    }

    internal static Merchant? GetById(IDbConnection c, IDbTransaction? t, long merchantId) =>
        c.QuerySingleOrDefault<Merchant>(SelectMerchant + " WHERE m.id = @merchantId", new { merchantId }, t);

    private static string? Last4(string? accountNumber)
    {
        if (string.IsNullOrEmpty(accountNumber)) return null;
        var digits = new string(accountNumber.Where(char.IsLetterOrDigit).ToArray());
        return digits.Length <= 4 ? digits : digits[^4..];
    }

    private static void Validate(MerchantProfileInput input, bool creating) => Validation.Check(v =>
    {
        if (creating && string.IsNullOrWhiteSpace(input.CompanyName)) v.Add("company_name", "company_name is required.");
        else if (input.CompanyName is not null && input.CompanyName.Trim().Length == 0) v.Add("company_name", "company_name must not be empty.");
        v.Length("company_name", input.CompanyName, Rules.CompanyNameMax)
         .Length("contact_name", input.ContactName, Rules.ContactNameMax)
         .Length("contact_phone", input.ContactPhone, Rules.ContactPhoneMax)
         .Length("country", input.Country, Rules.CountryMax)
         .Length("address", input.Address, Rules.AddressMax)
         .Length("website", input.Website, Rules.WebsiteMax)
         .Length("bank_account.bank_name", input.BankName, Rules.BankNameMax)
         .Length("bank_account.account_name", input.BankAccountName, Rules.BankAccountNameMax)
         .Length("bank_account.swift_code", input.BankSwift, Rules.SwiftCodeMax);
        if (input.ContactEmail is { Length: > 0 } e && !Rules.IsEmail(e)) v.Add("contact_email", "contact_email must be a valid email address.");
        if (input.Website is { Length: > 0 } w && !Rules.IsHttpUrl(w)) v.Add("website", "website must be an absolute http(s) URL.");
        if (input.BankAccountNumber is { } n && !Rules.IsBankAccountNumber(n))
            v.Add("bank_account.account_number", "bank_account.account_number must be 4–34 letters, digits, spaces or dashes.");
    });
}
