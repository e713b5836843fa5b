using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>Every command, fed bad input: non-zero exit, exactly one line on stderr, and the store unchanged.</summary>
public sealed class BadInputTests
{
    public static IEnumerable<Func<(string[] Args, int Exit)>> Cases() => Rows().Select(row => (Func<(string[], int)>)(() => (row.Args.ToArray(), row.Exit)));

    private static IEnumerable<(string[] Args, int Exit)> Rows() =>
    [
        (["serve", "--urls"], 2),
        (["serve", "--captcha", "never"], 2),
        (["user", "create", "--email", "bad"], 2),
        (["user", "create", "--email", "known@example.com"], 1),
        (["user", "list", "--format", "xml"], 2),
        (["user", "disable", "--email", "ghost@example.com"], 1),
        (["user", "enable"], 2),
        (["user", "reset-password", "--email", "ghost@example.com"], 1),
        (["user", "reset-password", "--email", "known@example.com", "--password", "short"], 2),
        (["merchant", "list", "extra"], 2),
        (["merchant", "show", "--merchant", "ghost@example.com"], 1),
        (["merchant", "show"], 2),
        (["credit", "topup", "--merchant", "known@example.com", "--amount", "1.234"], 2),
        (["credit", "topup", "--merchant", "ghost@example.com", "--amount", "10"], 1),
        (["credit", "adjust", "--merchant", "known@example.com", "--amount", "abc", "--memo", "m"], 2),
        (["credit", "adjust", "--merchant", "known@example.com", "--amount", "-10"], 2),
        (["credit", "adjust", "--merchant", "known@example.com", "--amount", "-1000000.00", "--memo", "floor"], 1),
        (["credit", "limit", "--merchant", "known@example.com", "--amount", "-5"], 2),
        (["credit", "fee", "--merchant", "known@example.com", "--rate-bps", "-1"], 2),
        (["app", "disable", "--merchant", "ghost@example.com"], 1),
        (["app", "enable"], 2),
        (["order", "list", "--status", "lost"], 2),
        (["order", "list", "--page", "0"], 2),
        (["order", "list", "--page-size", "1000"], 2),
        (["order", "list", "--cursor", "next"], 2),
        (["credit", "transactions", "--merchant", "known@example.com", "--csv", "--json"], 2),
        (["credit", "transactions", "--merchant", "known@example.com", "--csv", "--page-size", "5"], 2),
        (["credit", "transactions", "--merchant", "known@example.com", "--to", "soon"], 2),
        (["webhook", "retry", "--event-id", "evt_unknown"], 1),
        (["webhook", "list", "--status", "lost"], 2),
        (["order", "list", "--cursor", "5", "--page", "2"], 2),
        (["order", "list", "--merchant", "ghost@example.com"], 1),
        (["order", "show", "--order-no", "HS0"], 1),
        (["order", "process", "--order-no", "HS0"], 1),
        (["order", "ship", "--order-no", "HS0", "--carrier", "DHL"], 2),
        (["order", "deliver"], 2),
        (["order", "cancel", "--order-no", "HS0", "--reason", "x"], 1),
        (["catalog", "import", "/no/such/file.jsonl"], 1),
        (["catalog", "import"], 2),
        (["catalog", "export", "--out", "/no/such/folder/out.jsonl"], 2),
        (["catalog", "stats", "--verbose"], 2),
        (["db", "migrate", "now"], 2),
        (["db", "check", "--fix"], 2),
        (["db", "backup"], 2),
        (["demo", "--server"], 2),
        (["sign", "GET", "/api/v1/open/goods"], 2),
        (["console", "--server", "ftp://example.com"], 2),
        (["console"], 2), // no terminal under the test runner
        (["frobnicate"], 2),
    ];

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Bad_input_exits_non_zero_with_one_line_and_changes_nothing(string[] args, int exit)
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "known@example.com", "--password", "password-123");
        var user = cli.Get<IAccountService>().Find("known@example.com")!;
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Known" });
        cli.Get<ICreditService>().TopUp(merchant.Id, 1_000, null, null);
        var before = Fingerprint(cli);

        var result = await cli.RunAsync(args);

        await Assert.That(result.ExitCode).IsEqualTo(exit);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1).Because(result.Err);
        await Assert.That(result.Err).StartsWith("error: ");
        await Assert.That(Fingerprint(cli)).IsEqualTo(before);
    }

    private static string Fingerprint(CliRunner cli)
    {
        using var c = cli.Get<Db>().Open();
        // Each list joined in id order: group_concat on SQLite, string_agg on PostgreSQL.
        string List(string column, string table) => c.Dialect().IsPostgres
            ? $"(SELECT string_agg(CAST({column} AS TEXT), ',' ORDER BY id) FROM {table})"
            : $"(SELECT group_concat({column}) FROM (SELECT {column} FROM {table} ORDER BY id))";
        return c.QuerySingle<string>($"""
            SELECT (SELECT COUNT(*) || '/' || SUM(token_version) FROM users) || '/' || {List("status", "users")} || '/' || {List("password_hash", "users")} || '|' ||
                   (SELECT COUNT(*) || '/' || SUM(balance) || '/' || SUM(credit_limit) FROM credit_accounts) || '|' ||
                   (SELECT COUNT(*) FROM ledger_entries) || '|' || (SELECT COUNT(*) FROM orders) || '|' ||
                   {List("status", "merchants")} || {List("fee_rate_bps", "merchants")} || '|' ||
                   {List("status", "apps")} || '|' || (SELECT COUNT(*) FROM goods)
            """);
    }
}
