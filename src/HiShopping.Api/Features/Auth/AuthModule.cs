using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Auth;

/// <summary>Login, logout, captcha and password change.</summary>
public sealed class AuthModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.Groups(app))
        {
            group.MapPost("/login", Login).RequireRateLimiting(ApiRateLimits.PasswordPolicy);
            group.MapGet("/captcha", GetCaptcha).RequireRateLimiting(ApiRateLimits.CaptchaPolicy);
        }
        foreach (var group in WebRoutes.SignedInGroups(app))
        {
            group.MapPost("/logout", Logout);
            group.MapPut("/password", ChangePassword).RequireRateLimiting(ApiRateLimits.PasswordPolicy);
        }
    }

    private static async Task<IResult> Login(HttpContext context, IAccountService accounts, ILoginThrottle throttle, PasswordChecks checks,
        CaptchaService captchas, TokenService tokens, ApiSettings settings)
    {
        var body = await JsonBody.ReadAsync(context.Request);
        var email = body.String("email", required: true, maxLength: 254);
        var password = body.String("password", required: true, maxLength: AccountService.MaxPassword);
        var captchaId = body.String("captcha_id", maxLength: 64);
        var captchaCode = body.String("captcha_code", maxLength: 16);
        body.ThrowIfInvalid();

        var normalized = AccountService.NormalizeEmail(email);
        checks.TakeAccountCheck(normalized);
        // Reserved before the captcha and the hash: concurrent attempts are counted before any of them is checked.
        var attempt = throttle.Begin(normalized, HiShoppingApi.ClientAddress(context));
        var required = settings.CaptchaPolicy switch
        {
            CaptchaPolicy.Always => true,
            CaptchaPolicy.Off => false,
            _ => attempt.CaptchaRequired,
        };
        // A captcha that is sent is always checked (and used up), so one answer can never work twice.
        if ((captchaId is not null || captchaCode is not null || required) && !captchas.Verify(captchaId, captchaCode))
        {
            throttle.Abandon(attempt);
            throw new HiShopException(ErrorCode.CaptchaRequired,
                captchaId is null ? "A captcha is required: GET /captcha and send captcha_id and captcha_code." : "The captcha answer is wrong or expired; get a new captcha.",
                new { captcha_required = true });
        }

        var user = await CheckPasswordAsync(context, checks, throttle, attempt, () => accounts.VerifyCredentials(normalized, password!));
        return Envelope.Ok(TokenResponse(tokens.Issue(user), user));
    }

    /// <summary>
    /// Runs one password check under both limits: a hashing slot, and the attempt reserved with the throttle, which
    /// records it as a failure unless the check succeeds. Wrong old passwords count like failed logins.
    /// </summary>
    private static async Task<User> CheckPasswordAsync(HttpContext context, PasswordChecks checks, ILoginThrottle throttle, LoginAttempt attempt, Func<User> check)
    {
        System.Threading.RateLimiting.RateLimitLease slot;
        try
        {
            slot = await checks.EnterHashingAsync(context.RequestAborted);
        }
        catch
        {
            throttle.Abandon(attempt);
            throw;
        }
        using (slot) return throttle.Check(attempt, check);
    }

    private static IResult GetCaptcha(CaptchaService captchas)
    {
        var captcha = captchas.Create();
        return Envelope.Ok(new { CaptchaId = captcha.Id, Image = captcha.ImageDataUri, captcha.ExpiresIn });
    }

    private static IResult Logout(HttpContext context, IAccountService accounts)
    {
        accounts.Revoke(CurrentUser.Jti(context), CurrentUser.ExpiresAtMs(context));
        return Envelope.Ok(new { LoggedOut = true });
    }

    private static async Task<IResult> ChangePassword(HttpContext context, IAccountService accounts, ILoginThrottle throttle, PasswordChecks checks, TokenService tokens)
    {
        var body = await JsonBody.ReadAsync(context.Request);
        var oldPassword = body.String("old_password", required: true, maxLength: AccountService.MaxPassword);
        var newPassword = body.String("new_password", required: true, maxLength: AccountService.MaxPassword + 1);
        body.ThrowIfInvalid();
        AccountService.ValidatePassword(newPassword, "new_password");
        var me = accounts.Get(CurrentUser.Id(context)) ?? throw new HiShopException(ErrorCode.Unauthorized, "Unauthorized.");
        checks.TakeAccountCheck(me.Email);
        var attempt = throttle.Begin(me.Email, HiShoppingApi.ClientAddress(context));
        var user = await CheckPasswordAsync(context, checks, throttle, attempt, () => accounts.ChangePassword(me.Id, oldPassword!, newPassword!));
        return Envelope.Ok(TokenResponse(tokens.Issue(user), user));
    }

    internal static object TokenResponse(IssuedToken token, User user) => new
    {
        token.Token,
        TokenType = "Bearer",
        ExpiresIn = (int)TokenService.Lifetime.TotalSeconds,
        ExpiresAt = Times.Iso(token.ExpiresAtMs),
        User = Dto.User(user),
    };
}
