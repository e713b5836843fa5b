using HiShopping.Api.Contracts;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Admin;

/// <summary>A user as operators see it: with the sign-in lock, if there is one.</summary>
public sealed record AdminUserResponse(long Id, string Email, string Role, string Status, bool HasMerchant, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt)
{
    public static AdminUserResponse From(User u) =>
        new(u.Id, u.Email, u.Role, u.Status, u.HasMerchant, UtcTimeJsonConverter.From(u.LockedUntil), UtcTimeJsonConverter.From(u.CreatedAt));
}

/// <summary>A user just created or given a new password; <c>password</c> is there only when the server generated it, this once.</summary>
public sealed record IssuedUserResponse(AdminUserResponse User, string? Password);

/// <summary>A new user. Role defaults to merchant; without a password the server generates one and returns it once.</summary>
public sealed record CreateUserRequest
{
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? Role { get; init; }
}

/// <summary>A new password for a user; without one the server generates one and returns it once.</summary>
public sealed record ResetPasswordRequest
{
    public string? Password { get; init; }
}

public sealed record UnlockResponse(AdminUserResponse User, bool WasLocked);

/// <summary>A top-up (positive) or an adjustment (either sign, memo required).</summary>
public sealed record CreditMoveRequest
{
    public Amount? Amount { get; init; }
    public string? Memo { get; init; }
}

public sealed record CreditLimitRequest
{
    public Amount? CreditLimit { get; init; }
}

/// <summary>The merchant's fee in basis points: 150 = 1.50 % of the goods amount.</summary>
public sealed record FeeRateRequest
{
    public int? FeeRateBps { get; init; }
}

public sealed record ShipOrderRequest
{
    public string? Carrier { get; init; }
    public string? TrackingNo { get; init; }
}

public sealed record AuditEntryResponse(long Id, DateTimeOffset At, long? ActorId, string? ActorEmail, string Action, string Target)
{
    public static AuditEntryResponse From(AuditEntry a) => new(a.Id, UtcTimeJsonConverter.From(a.At), a.ActorId, a.ActorEmail, a.Action, a.Target);
}
