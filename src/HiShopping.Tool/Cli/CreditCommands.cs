using System.CommandLine;
using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Credit;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop credit topup</c> and friends: the operator's side of the ledger.</summary>
public static class CreditCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var credit = new Command("credit", "Manage merchants' credit");

        var merchant = new Option<string>("--merchant") { Description = "The merchant user's email, or the merchant id", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in USD with at most two decimals, e.g. 100.00", Required = true };
        var memo = new Option<string?>("--memo") { Description = "A note kept on the ledger entry" };
        var by = new Option<string?>("--operator") { Description = "The operator recorded on the entry (default: the first operator account)" };
        var topup = new Command("topup", "Add prepaid credit to a merchant (a TOPUP ledger entry)") { merchant, amount, memo, by };
        HishopCli.Handle(topup, env, c =>
        {
            var minor = HishopCli.Amount(c.Value(amount), "--amount");
            var m = c.Merchants.Resolve(c.Value(merchant));
            var entry = c.Credit.TopUp(m.Id, minor, c.Value(memo), OperatorId(c, c.Value(by)));
            c.Out.WriteLine($"{entry.ReferenceNo} TOPUP {Money.Format(entry.Amount)} USD for {m.Email}: balance {Money.Format(entry.BalanceBefore)} -> {Money.Format(entry.BalanceAfter)}");
            return HishopCli.Ok;
        });
        credit.Subcommands.Add(topup);

        var adjustWho = MerchantCommands.MerchantOption();
        var adjustAmount = new Option<string>("--amount") { Description = "Signed amount, e.g. -25.00 or 10.50", Required = true };
        var adjustMemo = new Option<string>("--memo") { Description = "Why (required: it stays on the ledger)", Required = true };
        var adjustBy = new Option<string?>("--operator") { Description = "The operator recorded on the entry (default: the first operator account)" };
        var adjust = new Command("adjust", "Correct a merchant's balance up or down (an ADJUST ledger entry)") { adjustWho, adjustAmount, adjustMemo, adjustBy };
        HishopCli.Handle(adjust, env, c =>
        {
            var minor = HishopCli.Amount(c.Value(adjustAmount), "--amount", allowNegative: true);
            var m = c.Merchants.Resolve(c.Value(adjustWho));
            var entry = c.Credit.Adjust(m.Id, minor, c.Value(adjustMemo), OperatorId(c, c.Value(adjustBy)));
            c.Out.WriteLine($"{entry.ReferenceNo} ADJUST {Money.Format(entry.Amount)} USD for {m.Email}: balance {Money.Format(entry.BalanceBefore)} -> {Money.Format(entry.BalanceAfter)}");
            return HishopCli.Ok;
        });
        credit.Subcommands.Add(adjust);

        var limitWho = MerchantCommands.MerchantOption();
        var limitAmount = new Option<string>("--amount") { Description = "The overdraft allowed below zero, e.g. 500.00 (0 for none)", Required = true };
        var limit = new Command("limit", "Set a merchant's credit limit (available = balance + limit)") { limitWho, limitAmount };
        HishopCli.Handle(limit, env, c =>
        {
            var minor = HishopCli.Amount(c.Value(limitAmount), "--amount");
            var m = c.Merchants.Resolve(c.Value(limitWho));
            var summary = c.Credit.SetLimit(m.Id, minor);
            c.Out.WriteLine($"credit limit of {m.Email} is now {Money.Format(summary.CreditLimit)} USD; available {Money.Format(summary.Available)}");
            return HishopCli.Ok;
        }, new Dictionary<string, string> { ["credit_limit"] = "--amount" });
        credit.Subcommands.Add(limit);

        var feeWho = MerchantCommands.MerchantOption();
        var rate = new Option<string>("--rate-bps") { Description = $"Fee in basis points of the goods amount, 0–{Rules.FeeRateMaxBps} (150 = 1.5%)", Required = true };
        var fee = new Command("fee", "Set a merchant's order fee rate") { feeWho, rate };
        HishopCli.Handle(fee, env, c =>
        {
            if (!int.TryParse(c.Value(rate), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var bps))
                throw new UsageException($"--rate-bps must be a whole number of basis points, e.g. 150 (got '{c.Value(rate)}').");
            var m = c.Merchants.Resolve(c.Value(feeWho));
            c.Credit.SetFeeRate(m.Id, bps);
            c.Out.WriteLine($"fee rate of {m.Email} is now {bps} bps ({bps / 100m:0.##}%)");
            return HishopCli.Ok;
        }, new Dictionary<string, string> { ["fee_rate_bps"] = "--rate-bps" });
        credit.Subcommands.Add(fee);
        credit.Subcommands.Add(Transactions(env));
        return credit;
    }

    /// <summary><c>hishop credit transactions</c>: a merchant's ledger for the operator — a page, JSON, or all of it as CSV.</summary>
    private static Command Transactions(Func<string, string?> env)
    {
        var who = MerchantCommands.MerchantOption();
        var type = new Option<string?>("--type") { Description = "Only entries of this type" };
        type.AcceptOnlyFromAmong(LedgerTypes.All);
        var from = new Option<string?>("--from") { Description = "From this day (2026-11-28, UTC)" };
        var to = new Option<string?>("--to") { Description = "Up to this day, inclusive" };
        var size = new Option<int>("--page-size") { Description = "Entries per page, 1–100", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string?>("--cursor") { Description = "Start after this entry (the next cursor a previous page printed)" };
        var csv = new Option<bool>("--csv") { Description = "Print every matching entry as CSV (all pages, streamed)" };
        var command = new Command("transactions", "List a merchant's ledger entries, newest first") { who, type, from, to, size, cursor, csv, Output.Json };
        HishopCli.Handle(command, env, async c =>
        {
            long? Day(Option<string?> option, bool endOfDay) => c.Value(option) is not { } text ? null
                : Times.TryParseDay(text, endOfDay, out var ms) ? ms
                : throw new UsageException($"{option.Name} must be a day like 2026-11-28 (got '{text}').");
            var filter = new TransactionQuery { Type = c.Value(type), From = Day(from, false), To = Day(to, true) };
            var m = c.Merchants.Resolve(c.Value(who));
            if (c.Value(csv))
            {
                if (c.Value(Output.Json) || c.Value(cursor) is not null || c.Parse.GetResult(size) is { Implicit: false })
                    throw new UsageException("--csv prints every matching entry: it takes no --json, --cursor or --page-size.");
                await TransactionsCsv.WriteAsync(c.Credit, m.Id, filter, c.Out);
                return HishopCli.Ok;
            }
            var page = c.Credit.Transactions(m.Id, filter with { PageSize = c.Value(size), Cursor = c.Value(cursor) });
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, PageResponse<LedgerEntryResponse>.From(page, LedgerEntryResponse.From));
                return HishopCli.Ok;
            }
            Output.Table(c.Out, ["REFERENCE NO", "TYPE", "AMOUNT", "BALANCE AFTER", "ORDER NO", "MEMO", "CREATED"],
                page.Items.Select(e => new[] { e.ReferenceNo, e.Type, Money.Format(e.Amount), Money.Format(e.BalanceAfter), e.OrderNo, e.Memo, Times.Iso(e.CreatedAt) }));
            c.Out.WriteLine(Output.ListFooter(page, "entries"));
            return HishopCli.Ok;
        });
        return command;
    }

    /// <summary>The operator to record: the one named, else the first operator account; none when the store has none yet.</summary>
    internal static long? OperatorId(CliContext c, string? email)
    {
        if (email is not null)
        {
            var named = c.Accounts.Find(email) ?? throw new UsageException($"no user has the email {email}.");
            if (named.Role != Roles.Operator) throw new UsageException($"{named.Email} is not an operator.");
            return named.Id;
        }
        return c.Accounts.List().FirstOrDefault(u => u.Role == Roles.Operator)?.Id;
    }
}
