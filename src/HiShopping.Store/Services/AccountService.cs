using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Security;

namespace HiShopping.Store.Services;

/// <summary>
/// A user's status, token version and merchant (if they have a profile), and whether one token of theirs was revoked
/// (see <see cref="IAccountService.TokenState"/>).
/// </summary>
public sealed record TokenState
{
    public required string Status { get; init; }
    public long TokenVersion { get; init; }
    public bool Revoked { get; init; }
    public long? MerchantId { get; init; }
}

public sealed record User
{
    public long Id { get; init; }
    public required string Email { get; init; }
    public required string Role { get; init; }
    public required string Status { get; init; }
    public long TokenVersion { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public bool HasMerchant { get; init; }

    /// <summary>When the sign-in lock (10 failed passwords) ends; filled by the paged list only, null when not locked.</summary>
    public long? LockedUntil { get; init; }
}

/// <summary>The operator's user list: by email (in part) and role, oldest first.</summary>
public sealed record UserQuery : PagedQuery
{
    public string? Keyword { get; init; }
    public string? Role { get; init; }
}

public static class Roles
{
    public const string Merchant = "merchant";
    public const string Operator = "operator";

    public static bool IsKnown(string role) => role is Merchant or Operator;
}

/// <summary>Users, passwords, token validity and revocation.</summary>
public interface IAccountService
{
    User Create(string email, string password, string role);
    User? Find(string email);
    User? Get(long id);
    IReadOnlyList<User> List();

    /// <summary>One page of users, each with its sign-in lock if it has one.</summary>
    PageOf<User> List(UserQuery query);

    /// <summary>Checks a login. Unknown email and wrong password both throw 3002 after the same work.</summary>
    User VerifyCredentials(string email, string password);

    User ChangePassword(long userId, string oldPassword, string newPassword);
    /// <summary>
    /// An operator's reset of a user's password. <paramref name="actorId"/>, when an operator acts, may not reset its
    /// own: that would end its own session; its own password is changed with the current one.
    /// </summary>
    User ResetPassword(string email, string newPassword, long? actorId = null);
    /// <summary>
    /// Disables or enables a user. <paramref name="actorId"/>, when an operator acts, may not disable itself: it would be
    /// locked out at once. And the last active operator is never disabled (two operators disabling each other at the
    /// same moment leave one): someone must be able to sign in and enable the others.
    /// </summary>
    User SetStatus(string email, string status, long? actorId = null);

    void Revoke(string jti, long expiresAtMs);

    /// <summary>
    /// What a signed-in request needs to know of its token, in one read: the user's status and token version, whether
    /// the token (<paramref name="jti"/>) was revoked, and the user's merchant id; null when the user does not exist.
    /// </summary>
    TokenState? TokenState(long userId, string jti);
    bool AnyUserWithRole(string role);
}

public sealed class AccountService(Db db, PasswordHasher hasher, TimeProvider clock) : IAccountService
{
    private const string SelectUser = """
        SELECT u.id AS Id, u.email AS Email, u.role AS Role, u.status AS Status, u.token_version AS TokenVersion,
               u.created_at AS CreatedAt, u.updated_at AS UpdatedAt,
               EXISTS (SELECT 1 FROM merchants m WHERE m.user_id = u.id) AS HasMerchant
        FROM users u
        """;

    public User Create(string email, string password, string role)
    {
        email = NormalizeEmail(email);
        Validation.Check(v =>
        {
            if (!Rules.IsEmail(email)) v.Add("email", "email must be a valid email address.");
            Rules.Password(v, password, "password");
            if (!Roles.IsKnown(role)) v.Add("role", "role must be merchant or operator.");
        });
        var hash = hasher.Hash(password);
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE email = @email", new { email }, t) > 0)
                throw new HiShopException(ErrorCode.Conflict, $"A user with email {email} already exists.");
            const string Insert = """
                INSERT INTO users (email, password_hash, role, status, token_version, created_at, updated_at)
                VALUES (@email, @hash, @role, 'active', 1, @now, @now) RETURNING id
                """;
            var id = c.ExecuteScalar<long>(Insert, new { email, hash, role, now }, t);
            return c.QuerySingle<User>(SelectUser + " WHERE u.id = @id", new { id }, t);
        });
    }

    public User? Find(string email)
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<User>(SelectUser + " WHERE u.email = @email", new { email = NormalizeEmail(email) });
    }

    public User? Get(long id)
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<User>(SelectUser + " WHERE u.id = @id", new { id });
    }

    public IReadOnlyList<User> List()
    {
        using var c = db.Open();
        return c.Query<User>(SelectUser + " ORDER BY u.id").AsList();
    }

    public PageOf<User> List(UserQuery query)
    {
        Validation.Check(v =>
        {
            query.CheckPaging(v);
            v.Length("keyword", query.Keyword, Rules.KeywordMax);
            if (query.Role is { } role && !Roles.IsKnown(role)) v.Add("role", "role must be merchant or operator.");
        });
        var where = $"WHERE (@keyword IS NULL OR {db.Dialect.Contains("u.email", "@keyword")}) AND (@Role IS NULL OR u.role = @Role)";
        var page = $"""
            SELECT u.id AS Id, u.email AS Email, u.role AS Role, u.status AS Status, u.token_version AS TokenVersion,
                   u.created_at AS CreatedAt, u.updated_at AS UpdatedAt,
                   EXISTS (SELECT 1 FROM merchants m WHERE m.user_id = u.id) AS HasMerchant,
                   (SELECT l.locked_until FROM login_locks l WHERE l.email = u.email AND l.locked_until > @now) AS LockedUntil
            FROM users u {where}
            ORDER BY u.id LIMIT @PageSize OFFSET @Offset
            """;
        var keyword = string.IsNullOrWhiteSpace(query.Keyword) ? null : query.Keyword.Trim().ToLowerInvariant();
        var args = new { keyword, query.Role, query.PageSize, query.Offset, now = Times.Now(clock), cap = Rules.CountCap + 1 };
        using var c = db.Open();
        var total = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM (SELECT 1 FROM users u {where} LIMIT @cap) AS m", args);
        var items = c.Query<User>(page, args).AsList();
        return new PageOf<User>(items, query.Page, query.PageSize, Math.Min(total, Rules.CountCap)) { TotalIsEstimate = total > Rules.CountCap };
    }

    public bool AnyUserWithRole(string role)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE role = @role", new { role }) > 0;
    }

    public User VerifyCredentials(string email, string password)
    {
        using var c = db.Open();
        const string Sql = "SELECT id AS Id, password_hash AS Hash, status AS Status FROM users WHERE email = @email";
        var row = c.QuerySingleOrDefault<CredentialRow>(Sql, new { email = NormalizeEmail(email) });
        if (row is null)
        {
            hasher.VerifyDecoy(password ?? "");
            throw new HiShopException(ErrorCode.InvalidCredentials, "Invalid email or password.");
        }
        if (!PasswordHasher.Verify(password ?? "", row.Hash))
            throw new HiShopException(ErrorCode.InvalidCredentials, "Invalid email or password.");
        // Only someone who knows the password learns that the user is disabled.
        if (row.Status != "active")
            throw new HiShopException(ErrorCode.UserDisabled, "This user is disabled.");
        return Get(row.Id)!;
    }

    public User ChangePassword(long userId, string oldPassword, string newPassword)
    {
        Validation.Check(v => Rules.Password(v, newPassword, "new_password"));
        using var c = db.Open();
        var hash = c.QuerySingleOrDefault<string>("SELECT password_hash FROM users WHERE id = @userId", new { userId })
            ?? throw new HiShopException(ErrorCode.Unauthorized, "The user no longer exists.");
        if (!PasswordHasher.Verify(oldPassword ?? "", hash))
            throw HiShopException.Invalid("old_password", "The current password is not right.");
        if (oldPassword == newPassword)
            throw HiShopException.Invalid("new_password", "The new password must differ from the current one.");
        return SetPasswordHash(userId, hasher.Hash(newPassword));
    }

    public User ResetPassword(string email, string newPassword, long? actorId = null)
    {
        Validation.Check(v => Rules.Password(v, newPassword, "password"));
        var user = Find(email) ?? throw NoSuchUser(email);
        if (user.Id == actorId)
            throw HiShopException.Invalid("user_id", "Change your own password with your current one (Profile in the console, or PUT /api/v1/web/password).");
        return SetPasswordHash(user.Id, hasher.Hash(newPassword));
    }

    private User SetPasswordHash(long userId, string hash)
    {
        var now = Times.Now(clock);
        // Bumping token_version turns every token issued before this moment into 4001.
        return db.Write((c, t) =>
        {
            c.Execute("UPDATE users SET password_hash = @hash, token_version = token_version + 1, updated_at = @now WHERE id = @userId",
                new { hash, now, userId }, t);
            return c.QuerySingle<User>(SelectUser + " WHERE u.id = @userId", new { userId }, t);
        });
    }

    public User SetStatus(string email, string status, long? actorId = null)
    {
        if (status is not ("active" or "disabled")) throw HiShopException.Invalid("status", "status must be active or disabled.");
        var user = Find(email) ?? throw NoSuchUser(email);
        if (status == "disabled" && user.Id == actorId)
            throw HiShopException.Invalid("user_id", "You cannot disable your own account; another operator (or hishop user disable) can.");
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            const string Sql = """
                UPDATE users SET status = @status, updated_at = @now,
                    token_version = token_version + CASE WHEN @status = 'disabled' THEN 1 ELSE 0 END
                WHERE id = @id
                """;
            // Checked inside the write: concurrent disables are serialized by the write lock, so the count is exact.
            if (status == "disabled" && user.Role == Roles.Operator &&
                c.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE role = 'operator' AND status = 'active' AND id <> @id", new { id = user.Id }, t) == 0)
                throw HiShopException.Invalid("user_id", "The last active operator cannot be disabled.");
            c.Execute(Sql, new { status, now, id = user.Id }, t);
            return c.QuerySingle<User>(SelectUser + " WHERE u.id = @id", new { id = user.Id }, t);
        });
    }

    public void Revoke(string jti, long expiresAtMs)
    {
        var now = Times.Now(clock);
        db.Write((c, t) =>
        {
            c.Execute("INSERT INTO revoked_tokens (jti, expires_at) VALUES (@jti, @expiresAtMs) ON CONFLICT DO NOTHING", new { jti, expiresAtMs }, t);
            // Expired tokens fail on their own; their revocations need not be kept.
            c.Execute("DELETE FROM revoked_tokens WHERE expires_at < @now", new { now }, t);
        });
    }

    public TokenState? TokenState(long userId, string jti)
    {
        const string Sql = """
            SELECT u.status, u.token_version,
                   CASE WHEN EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = @jti) THEN 1 ELSE 0 END,
                   (SELECT m.id FROM merchants m WHERE m.user_id = u.id)
            FROM users u WHERE u.id = @userId
            """;
        // Every signed-in request asks this: a statement kept on the pooled handle, read by position.
        using var c = db.Open();
        using var row = c.Cached(null, Sql).With("@jti", jti).With("@userId", userId).ExecuteReader();
        return row.Read()
            ? new TokenState { Status = row.GetString(0), TokenVersion = row.GetInt64(1), Revoked = row.GetInt64(2) != 0, MerchantId = row.IsDBNull(3) ? null : row.GetInt64(3) }
            : null;
    }

    private sealed record CredentialRow
    {
        public long Id { get; init; }
        public required string Hash { get; init; }
        public required string Status { get; init; }
    }

    public static string NormalizeEmail(string? email) => (email ?? "").Trim().ToLowerInvariant();

    public static HiShopException NoSuchUser(string? email) => new(ErrorCode.UserNotFound, $"No user has the email {NormalizeEmail(email)}.");
}
