using System.CommandLine;
using HiShopping.Store;

namespace HiShopping.Tool.Cli;

/// <summary>The <c>hishop</c> command line. Exit codes: 0 ok, 1 error, 2 usage, 3 partial import.</summary>
public static class HishopCli
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;

    public static RootCommand BuildRoot(Func<string, string?> env)
    {
        var root = new RootCommand("HiShopping: a self-hosted merchant platform for buying Temu goods on prepaid credit.");
        root.Options.Add(GlobalOptions.DataDir);
        root.Options.Add(GlobalOptions.Db);
        root.Subcommands.Add(ServeCommand.Build(env));
        root.Subcommands.Add(ConsoleCommand.Build(env));
        root.Subcommands.Add(UserCommands.Build(env));
        root.Subcommands.Add(MerchantCommands.Build(env));
        root.Subcommands.Add(CreditCommands.Build(env));
        root.Subcommands.Add(AppCommands.Build(env));
        root.Subcommands.Add(OrderCommands.Build(env));
        root.Subcommands.Add(WebhookCommands.Build(env));
        root.Subcommands.Add(CatalogCommands.Build(env));
        root.Subcommands.Add(DbCommands.Build(env));
        root.Subcommands.Add(DemoCommand.Build(env));
        root.Subcommands.Add(SignCommand.Build(env));
        return root;
    }

    /// <summary>The real entry point, with its outputs and environment passed in so tests can run it in-process.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?>? env = null, CancellationToken cancel = default)
    {
        var parse = BuildRoot(env ?? Environment.GetEnvironmentVariable).Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = string.Join(' ', ParentNames(parse));
            var message = string.Join(' ', parse.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            await error.WriteLineAsync($"error: {message} (see '{command} --help')");
            return Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancel);
    }

    /// <summary>Gives a command its action: builds the context, runs the body and turns failures into one line and an exit code.</summary>
    public static void Handle(Command command, Func<string, string?> env, Func<CliContext, Task<int>> body, IReadOnlyDictionary<string, string>? options = null) =>
        command.SetAction(async (parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var context = new CliContext(parse, new ToolConfig(env), output, error);
            try
            {
                return await body(context);
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return Usage;
            }
            catch (HiShopException e)
            {
                await error.WriteLineAsync($"error: {OptionOf(command, e, options)}{e.Message}");
                return e.Code == ErrorCode.InvalidRequest ? Usage : Error;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return Error;
            }
        });

    public static void Handle(Command command, Func<string, string?> env, Func<CliContext, int> body, IReadOnlyDictionary<string, string>? options = null) =>
        Handle(command, env, c => Task.FromResult(body(c)), options);

    /// <summary>
    /// The services name fields as the API does (<c>amount</c>, <c>tracking_no</c>); the CLI says which option that was:
    /// the one named in <paramref name="options"/>, else the command's option of the same name.
    /// </summary>
    private static string OptionOf(Command command, HiShopException e, IReadOnlyDictionary<string, string>? options)
    {
        if (e.Code != ErrorCode.InvalidRequest || e.Field is not { } field) return "";
        if (options?.TryGetValue(field, out var named) == true) return named + ": ";
        var guess = "--" + field.Replace('_', '-');
        return command.Options.Any(o => o.Name == guess) ? guess + ": " : "";
    }

    private static IEnumerable<string> ParentNames(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "hishop" : r.Command.Name);
        return names;
    }

    /// <summary>Reads an amount option: digits with at most two decimals, e.g. 100.00 (its limits are the service's to check).</summary>
    public static long Amount(string? text, string option, bool allowNegative = false) =>
        Money.TryParse(text, out var minor, allowNegative)
            ? minor
            : throw new UsageException(allowNegative
                ? $"{option} must be an amount with at most two decimals, e.g. 100.00 or -25.50 (got '{text}')."
                : $"{option} must be an amount with at most two decimals, e.g. 100.00 (got '{text}').");
}
