using System.Globalization;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HiShopping.Api.Auth;

internal static class JwtSetup
{
    public const string MerchantPolicy = "merchant";
    public const string OperatorPolicy = "operator";

    /// <summary>
    /// JWT bearer auth whose key is read from <c>jwt.key</c> on first use, not when the host is built: <c>serve</c> binds
    /// its listener before the data directory (and the key) exist.
    /// </summary>
    public static void AddWebAuth(this IServiceCollection services, StoreOptions store)
    {
        services.AddSingleton(_ => new JwtKey(KeyFiles.Load(store.JwtKeyPath, 64)));
        services.AddSingleton<TokenService>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<JwtKey, TimeProvider>((options, key, clock) =>
            {
                options.TokenValidationParameters.IssuerSigningKey = key.SecurityKey;
                // Lifetime against the store's clock (the one that issued the token), with no skew: exp is exclusive.
                options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, _) =>
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    return expires is { } exp && now < exp && (notBefore is not { } nbf || now >= nbf);
                };
            });
        services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TokenService.Issuer,
                    ValidAudience = TokenService.Audience,
                    // Pinned: a token whose header names any other algorithm, "none" included, is refused.
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.Zero,
                    NameClaimType = JwtRegisteredClaimNames.Sub,
                    RoleClaimType = "role",
                };
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        var accounts = context.HttpContext.RequestServices.GetRequiredService<IAccountService>();
                        var principal = context.Principal!;
                        var jti = principal.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;
                        var sub = principal.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
                        var tv = principal.FindFirst(TokenService.TokenVersionClaim)?.Value;
                        // One read per request: the user's status, token version and merchant, and this token's revocation.
                        var state = jti is not null && long.TryParse(sub, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                            ? accounts.TokenState(id, jti) : null;
                        if (state is null || state.Revoked || state.Status != "active" ||
                            tv != state.TokenVersion.ToString(CultureInfo.InvariantCulture))
                            context.Fail("The token is no longer valid.");
                        else CurrentUser.SetMerchantId(context.HttpContext, state.MerchantId);
                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        var message = context.Request.Headers.Authorization.Count == 0
                            ? "Unauthorized: send Authorization: Bearer {token}."
                            : "Unauthorized: the token is invalid, expired or revoked.";
                        return Envelope.WriteAsync(context.HttpContext, ErrorCode.Unauthorized, message, null);
                    },
                    OnForbidden = context =>
                        Envelope.WriteAsync(context.HttpContext, ErrorCode.Forbidden, "Forbidden: your role does not allow this.", null),
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(MerchantPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Merchant))
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Operator));
    }
}
