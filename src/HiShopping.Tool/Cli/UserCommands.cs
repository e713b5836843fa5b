using System.CommandLine;
using HiShopping.Api.Features.Auth;
using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop user create|list|disable|enable|reset-password|unlock</c>.</summary>
public static class UserCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var user = new Command("user", "Manage user accounts (merchants and operators)");

        var email = new Option<string>("--email") { Description = "The user's email", Required = true };
        var password = new Option<string?>("--password") { Description = "Password, 8–128 characters (generated and printed when left out)" };
        var role = new Option<string>("--role") { Description = "merchant (default) or operator", DefaultValueFactory = _ => Roles.Merchant };
        role.AcceptOnlyFromAmong(Roles.Merchant, Roles.Operator);

        var create = new Command("create", "Create a user") { email, password, role };
        HishopCli.Handle(create, env, c =>
        {
            var given = c.Value(password);
            var secret = given ?? PasswordHasher.Generate();
            var created = c.Accounts.Create(c.Value(email), secret, c.Value(role));
            c.Out.WriteLine($"created {created.Role} {created.Email} (id {created.Id})");
            if (given is null) c.Out.WriteLine($"password: {secret}  (shown only now)");
            return HishopCli.Ok;
        });

        var list = new Command("list", "List users") { Output.Json };
        HishopCli.Handle(list, env, c =>
        {
            var users = c.Accounts.List();
            if (c.Value(Output.Json))
                Output.WriteJson<IReadOnlyList<UserResponse>>(c.Out, users.Select(UserResponse.From).ToList());
            else
                Output.Table(c.Out, ["ID", "EMAIL", "ROLE", "STATUS", "MERCHANT", "CREATED"], users.Select(u => new[]
                {
                    u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Email, u.Role, u.Status, u.HasMerchant ? "yes" : "no",
                    HiShopping.Store.Times.Iso(u.CreatedAt),
                }));
            return HishopCli.Ok;
        });

        user.Subcommands.Add(create);
        user.Subcommands.Add(list);
        user.Subcommands.Add(StatusCommand("disable", "Disable a user: login is refused and every token stops working", "disabled", env));
        user.Subcommands.Add(StatusCommand("enable", "Enable a disabled user", "active", env));

        var resetEmail = new Option<string>("--email") { Description = "The user's email", Required = true };
        var resetPassword = new Option<string?>("--password") { Description = "New password (generated and printed when left out)" };
        var reset = new Command("reset-password", "Set a new password; every token issued before stops working") { resetEmail, resetPassword };
        HishopCli.Handle(reset, env, c =>
        {
            var given = c.Value(resetPassword);
            var secret = given ?? PasswordHasher.Generate();
            var u = c.Accounts.ResetPassword(c.Value(resetEmail), secret);
            c.Out.WriteLine($"password reset for {u.Email}");
            if (given is null) c.Out.WriteLine($"password: {secret}  (shown only now)");
            return HishopCli.Ok;
        });
        user.Subcommands.Add(reset);

        var unlockEmail = new Option<string>("--email") { Description = "The user's email", Required = true };
        var unlock = new Command("unlock", "Clear a user's sign-in lock (10 failed passwords lock an account for 15 minutes) and its failure count") { unlockEmail };
        HishopCli.Handle(unlock, env, c =>
        {
            var u = c.Accounts.Find(c.Value(unlockEmail)) ?? throw new HiShopException(ErrorCode.UserNotFound, $"No user has the email {AccountService.NormalizeEmail(c.Value(unlockEmail))}.");
            var cleared = c.Get<ILoginThrottle>().Unlock(u.Email);
            c.Out.WriteLine(cleared ? $"{u.Email} is unlocked; its failed sign-ins are forgotten" : $"{u.Email} was not locked");
            return HishopCli.Ok;
        });
        user.Subcommands.Add(unlock);
        return user;
    }

    private static Command StatusCommand(string name, string description, string status, Func<string, string?> env)
    {
        var email = new Option<string>("--email") { Description = "The user's email", Required = true };
        var command = new Command(name, description) { email };
        HishopCli.Handle(command, env, c =>
        {
            var u = c.Accounts.SetStatus(c.Value(email), status);
            c.Out.WriteLine($"{u.Email} is now {u.Status}");
            return HishopCli.Ok;
        });
        return command;
    }
}
