using System.CommandLine;
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
        return credit;
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
