using System.Globalization;
using System.Security.Claims;
using HiShopping.Store.Services;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HiShopping.Api.Auth;

public sealed record IssuedToken(string Token, string Jti, long ExpiresAtMs);

/// <summary>Issues the Web API's HS256 tokens: sub, role, jti, iat, exp, plus tv (the user's token version).</summary>
public sealed class TokenService(JwtKey key, TimeProvider clock)
{
    public const string Issuer = "hishop";
    public const string Audience = "hishop-web";
    public const string TokenVersionClaim = "tv";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public IssuedToken Issue(User user)
    {
        var now = clock.GetUtcNow();
        var jti = Guid.NewGuid().ToString("N");
        var expires = now + Lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim("role", user.Role),
                new Claim(JwtRegisteredClaimNames.Jti, jti),
                new Claim(TokenVersionClaim, user.TokenVersion.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ]),
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.HmacSha256),
        };
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
        return new IssuedToken(token, jti, expires.ToUnixTimeMilliseconds());
    }
}

/// <summary>The HMAC key of the tokens, read from <c>jwt.key</c> in the data directory.</summary>
public sealed class JwtKey(byte[] bytes)
{
    public SymmetricSecurityKey SecurityKey { get; } = new(bytes) { KeyId = "hishop-1" };
}
