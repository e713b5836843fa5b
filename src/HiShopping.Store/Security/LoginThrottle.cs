using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Security;

/// <summary>One password check in progress: its reserved failure row and whether a captcha must be solved first.</summary>
public sealed record LoginAttempt(long Id, string Email, string Client, bool CaptchaRequired);

/// <summary>
/// Failed password checks, kept in the database so that neither a restart nor a second process is a way around
/// them. A check first reserves its failure row (counted at once), so concurrent attempts cannot all slip under a
/// limit between the count and the slow hash; a success then removes it.
/// Limits: a captcha after 3 failures of one account, or after 20 from one client address (any accounts), within
/// 15 minutes; after 10 failures of one account that account is refused (4029) for 15 minutes.
/// Used by the Web API's login and password change, and by the console's local sign-in.
/// </summary>
public interface ILoginThrottle
{
    /// <summary>
    /// Reserves one check of <paramref name="email"/>'s password from <paramref name="client"/>; 4029 while the account is
    /// locked. <paramref name="captcha"/> is told whether the counts call for a captcha and throws (3004) when the
    /// caller has not solved one: it runs inside the reservation, so an attempt stopped there reserves nothing.
    /// </summary>
    LoginAttempt Begin(string email, string client, Action<bool>? captcha = null);

    /// <summary>The password was right: the account's failures are forgotten.</summary>
    void Succeeded(LoginAttempt attempt);

    /// <summary>The password was wrong: the reserved row stays a failure, and the tenth locks the account.</summary>
    void Failed(LoginAttempt attempt);

    /// <summary>The password was never checked (the server was too busy to hash it): the reservation is dropped.</summary>
    void Abandon(LoginAttempt attempt);

    /// <summary>Clears the account's lock and failures; true when there was something to clear.</summary>
    bool Unlock(string email);

    /// <summary>When the account's lock ends, or null when it is not locked.</summary>
    long? LockedUntil(string email);
}

public static class LoginThrottleExtensions
{
    /// <summary>
    /// Runs one password check of a reserved attempt: a success forgets the account's failures, a wrong password (or
    /// a wrong old password) stays counted, anything else drops the reservation.
    /// </summary>
    public static T Check<T>(this ILoginThrottle throttle, LoginAttempt attempt, Func<T> check)
    {
        try
        {
            var result = check();
            throttle.Succeeded(attempt);
            return result;
        }
        catch (HiShopException e) when (e.Code == ErrorCode.InvalidCredentials || (e.Code == ErrorCode.InvalidRequest && e.Field == "old_password"))
        {
            throttle.Failed(attempt);
            throw;
        }
        catch
        {
            throttle.Abandon(attempt);
            throw;
        }
    }
}

public sealed class LoginThrottle(Db db, TimeProvider clock) : ILoginThrottle
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public const int CaptchaAfterAccountFailures = 3;
    public const int CaptchaAfterClientFailures = 20;
    public const int LockAfter = 10;

    public LoginAttempt Begin(string email, string client, Action<bool>? captcha = null)
    {
        var now = Times.Now(clock);
        var since = now - (long)Window.TotalMilliseconds;
        return db.Write((c, t) =>
        {
            var lockedUntil = c.ExecuteScalar<long?>("SELECT locked_until FROM login_locks WHERE email = @email AND locked_until > @now", new { email, now }, t);
            if (lockedUntil is { } until) throw Locked(until - now);
            var accountFailures = c.ExecuteScalar<long>("SELECT COUNT(*) FROM login_failures WHERE email = @email AND at > @since", new { email, since }, t);
            if (accountFailures >= LockAfter)
            {
                // Ten checks are failing or under way right now: wait until the oldest leaves the window.
                var oldest = c.ExecuteScalar<long>("SELECT MIN(at) FROM login_failures WHERE email = @email AND at > @since", new { email, since }, t);
                throw Locked(oldest + (long)Window.TotalMilliseconds - now);
            }
            var clientFailures = c.ExecuteScalar<long>("SELECT COUNT(*) FROM login_failures WHERE client = @client AND at > @since", new { client, since }, t);
            var captchaRequired = accountFailures >= CaptchaAfterAccountFailures || clientFailures >= CaptchaAfterClientFailures;
            captcha?.Invoke(captchaRequired);
            var id = c.ExecuteScalar<long>("INSERT INTO login_failures (email, client, at) VALUES (@email, @client, @now) RETURNING id", new { email, client, now }, t);
            if (id % 64 == 0)
            {
                c.Execute("DELETE FROM login_failures WHERE at <= @since", new { since }, t);
                c.Execute("DELETE FROM login_locks WHERE locked_until <= @now", new { now }, t);
            }
            return new LoginAttempt(id, email, client, captchaRequired);
        });
    }

    public void Succeeded(LoginAttempt attempt) =>
        db.Write((c, t) => c.Execute("DELETE FROM login_failures WHERE email = @Email OR id = @Id", attempt, t));

    public void Failed(LoginAttempt attempt)
    {
        var now = Times.Now(clock);
        var since = now - (long)Window.TotalMilliseconds;
        db.Write((c, t) =>
        {
            var failures = c.ExecuteScalar<long>("SELECT COUNT(*) FROM login_failures WHERE email = @email AND at > @since", new { email = attempt.Email, since }, t);
            if (failures < LockAfter) return;
            const string Lock = """
                INSERT INTO login_locks (email, locked_until) VALUES (@email, @until)
                ON CONFLICT (email) DO UPDATE SET locked_until =
                    CASE WHEN login_locks.locked_until > excluded.locked_until THEN login_locks.locked_until ELSE excluded.locked_until END
                """;
            c.Execute(Lock, new { email = attempt.Email, until = now + (long)Window.TotalMilliseconds }, t);
        });
    }

    public void Abandon(LoginAttempt attempt) =>
        db.Write((c, t) => c.Execute("DELETE FROM login_failures WHERE id = @Id", attempt, t));

    public bool Unlock(string email) =>
        db.Write((c, t) =>
            c.Execute("DELETE FROM login_locks WHERE email = @email", new { email }, t) +
            c.Execute("DELETE FROM login_failures WHERE email = @email", new { email }, t) > 0);

    public long? LockedUntil(string email)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long?>("SELECT locked_until FROM login_locks WHERE email = @email AND locked_until > @now", new { email, now = Times.Now(clock) });
    }

    private static HiShopException Locked(long waitMs)
    {
        var retry = RetryAfter.From(TimeSpan.FromMilliseconds(Math.Max(1000, waitMs)));
        return new HiShopException(ErrorCode.TooManyRequests, $"Too many failed sign-ins for this account; try again in {retry.Seconds} s.", retry);
    }
}
