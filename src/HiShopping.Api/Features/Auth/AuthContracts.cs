using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Auth;

public sealed record LoginRequest
{
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? CaptchaId { get; init; }
    public string? CaptchaCode { get; init; }
}

public sealed record ChangePasswordRequest
{
    public string? OldPassword { get; init; }
    public string? NewPassword { get; init; }
}

/// <summary>A user as every list and answer shows one (login, <c>hishop user list --json</c>, the operator API).</summary>
public sealed record UserResponse(long Id, string Email, string Role, string Status, bool HasMerchant, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User u) => new(u.Id, u.Email, u.Role, u.Status, u.HasMerchant, UtcTimeJsonConverter.From(u.CreatedAt));
}

public sealed record TokenResponse(string Token, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt, UserResponse User)
{
    public static TokenResponse From(IssuedToken token, User user) =>
        new(token.Token, "Bearer", (int)TokenService.Lifetime.TotalSeconds, UtcTimeJsonConverter.From(token.ExpiresAtMs), UserResponse.From(user));
}

public sealed record CaptchaResponse(string CaptchaId, string Image, int ExpiresIn);

public sealed record LogoutResponse(bool LoggedOut);
