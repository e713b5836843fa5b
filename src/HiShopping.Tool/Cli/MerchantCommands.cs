using System.CommandLine;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop merchant list|show</c>.</summary>
public static class MerchantCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var merchant = new Command("merchant", "Look at merchants");

        var list = new Command("list", "List merchants with their credit") { Output.Json };
        HishopCli.Handle(list, env, c =>
        {
            var rows = c.Merchants.List().Select(m => (Merchant: m, Credit: c.Credit.Summary(m.Id))).ToList();
            if (c.Value(Output.Json))
                Output.WriteJson(c.Out, rows.Select(r => Row(r.Merchant, r.Credit)));
            else
                Output.Table(c.Out, ["ID", "EMAIL", "COMPANY", "STATUS", "BALANCE", "LIMIT", "AVAILABLE", "FEE BPS"],
                    rows.Select(r => new[]
                    {
                        r.Merchant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Merchant.Email, r.Merchant.CompanyName,
                        r.Credit.Status, Money.Format(r.Credit.Balance), Money.Format(r.Credit.CreditLimit), Money.Format(r.Credit.Available),
                        r.Merchant.FeeRateBps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    }));
            return HishopCli.Ok;
        });

        var who = MerchantOption();
        var show = new Command("show", "Show one merchant: profile, app and credit") { who, Output.Json };
        HishopCli.Handle(show, env, c =>
        {
            var m = c.Merchants.Resolve(c.Value(who));
            var credit = c.Credit.Summary(m.Id);
            var app = c.Get<IAppService>().GetForMerchant(m.Id);
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, new
                {
                    Merchant = Row(m, credit),
                    m.ContactName, m.ContactPhone, m.ContactEmail, m.Country, m.Address, m.Website,
                    BankAccount = new { m.BankName, AccountName = m.BankAccountName, AccountNumber = m.BankAccountMasked, SwiftCode = m.BankSwift },
                    App = new { app.AppId, app.Name, app.Status, ApiKey = app.MaskedApiKey, app.SignKeySet, app.NotifyUrl, app.IpWhitelist },
                });
                return HishopCli.Ok;
            }
            Output.Fields(c.Out,
            [
                ("Merchant", $"{m.Id} {m.CompanyName}"), ("User", $"{m.Email} ({m.UserStatus})"), ("Status", m.Status),
                ("Contact", string.Join(", ", new[] { m.ContactName, m.ContactPhone, m.ContactEmail }.Where(s => !string.IsNullOrEmpty(s)))),
                ("Bank account", m.BankAccountMasked is null ? "-" : $"{m.BankName} {m.BankAccountMasked}"),
                ("App", $"{app.AppId} ({app.Status})"), ("API key", app.MaskedApiKey ?? "not generated"), ("Sign key", app.SignKeySet ? "set" : "not generated"),
                ("Balance", $"{Money.Format(credit.Balance)} {credit.Currency}"), ("Credit limit", Money.Format(credit.CreditLimit)),
                ("Available", Money.Format(credit.Available)), ("Fee rate", $"{m.FeeRateBps} bps"),
                ("Credited", Money.Format(credit.TotalCredited)), ("Consumed", Money.Format(credit.TotalConsumed)),
                ("Utilization", credit.Utilization.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)),
            ]);
            return HishopCli.Ok;
        });

        merchant.Subcommands.Add(list);
        merchant.Subcommands.Add(show);
        return merchant;
    }

    public static Option<string> MerchantOption() =>
        new("--merchant") { Description = "The merchant user's email, or the merchant id", Required = true };

    private static object Row(Merchant m, CreditSummary credit) => new
    {
        MerchantId = m.Id, m.Email, m.CompanyName, Status = credit.Status, Balance = Money.Format(credit.Balance),
        CreditLimit = Money.Format(credit.CreditLimit), Available = Money.Format(credit.Available), m.FeeRateBps,
        CreatedAt = Times.Iso(m.CreatedAt),
    };
}
