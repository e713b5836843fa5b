using System.CommandLine;
using System.Globalization;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Merchant;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop merchant list|show</c>.</summary>
public static class MerchantCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var merchant = new Command("merchant", "Look at merchants");

        var keyword = new Option<string?>("--keyword") { Description = "Only merchants whose email or company name contains this" };
        var list = new Command("list", "List merchants with their credit (every merchant; --keyword narrows)") { keyword, Output.Json };
        HishopCli.Handle(list, env, c =>
        {
            var rows = All(c.Merchants, c.Value(keyword)).Select(MerchantSummaryResponse.From).ToList();
            if (c.Value(Output.Json))
                Output.WriteJson<IReadOnlyList<MerchantSummaryResponse>>(c.Out, rows);
            else
                Output.Table(c.Out, ["ID", "EMAIL", "COMPANY", "STATUS", "BALANCE", "LIMIT", "AVAILABLE", "FEE BPS", "APP"],
                    rows.Select(r => new[]
                    {
                        r.MerchantId.ToString(CultureInfo.InvariantCulture), r.Email, r.CompanyName,
                        r.Status == "active" && r.UserStatus == "active" ? "active" : "disabled",
                        r.Balance.ToString(), r.CreditLimit.ToString(), r.Available.ToString(),
                        r.FeeRateBps.ToString(CultureInfo.InvariantCulture), r.AppStatus,
                    }));
            return HishopCli.Ok;
        });

        var who = MerchantOption();
        var show = new Command("show", "Show one merchant: profile, app and credit") { who, Output.Json };
        HishopCli.Handle(show, env, c =>
        {
            var m = c.Merchants.Resolve(c.Value(who));
            var credit = CreditResponse.From(c.Credit.Summary(m.Id));
            var app = c.Get<IAppService>().GetForMerchant(m.Id);
            var overview = new MerchantOverviewResponse(MerchantResponse.From(m), m.UserStatus, AppResponse.From(app), ApiKeyResponse.From(app), credit);
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, overview);
                return HishopCli.Ok;
            }
            Output.Fields(c.Out,
            [
                ("Merchant", $"{m.Id} {m.CompanyName}"), ("User", $"{m.Email} ({m.UserStatus})"), ("Status", m.Status),
                ("Contact", string.Join(", ", new[] { m.ContactName, m.ContactPhone, m.ContactEmail }.Where(s => !string.IsNullOrEmpty(s)))),
                ("Bank account", m.BankAccountMasked is null ? "-" : $"{m.BankName} {m.BankAccountMasked}"),
                ("App", $"{app.AppId} ({app.Status})"), ("API key", app.MaskedApiKey ?? "not generated"), ("Sign key", app.SignKeySet ? "set" : "not generated"),
                ("Rate limit", app.RateLimit.ToString()),
                ("Balance", $"{credit.Balance} {credit.Currency}"), ("Credit limit", credit.CreditLimit.ToString()),
                ("Available", credit.Available.ToString()), ("Fee rate", $"{m.FeeRateBps} bps"),
                ("Credited", credit.TotalCredited.ToString()), ("Consumed", credit.TotalConsumed.ToString()),
                ("Utilization", credit.Utilization.ToString("P1", CultureInfo.InvariantCulture)),
            ]);
            return HishopCli.Ok;
        });

        merchant.Subcommands.Add(list);
        merchant.Subcommands.Add(show);
        return merchant;
    }

    /// <summary>Every merchant matching, page by page.</summary>
    internal static IEnumerable<MerchantListItem> All(IMerchantService merchants, string? keyword)
    {
        for (var page = 1; ; page++)
        {
            var result = merchants.List(new MerchantQuery { Keyword = keyword, Page = page, PageSize = Rules.MaxPageSize });
            foreach (var item in result.Items) yield return item;
            if ((long)page * Rules.MaxPageSize >= result.Total || result.Items.Count == 0) yield break;
        }
    }

    public static Option<string> MerchantOption() =>
        new("--merchant") { Description = "The merchant user's email, or the merchant id", Required = true };
}
