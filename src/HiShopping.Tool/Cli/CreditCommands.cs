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
