using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
using HiShopping.Api.Hosting;
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
            group.MapPost("/login", Login).WithBody<LoginRequest>()
                .WithMetadata(OpenApiSetup.RequestExample.Of(new LoginRequest { Email = "shop@example.com", Password = "correct horse 42" })).RequireRateLimiting(ApiRateLimits.PasswordPolicy);
            group.MapGet("/captcha", GetCaptcha).RequireRateLimiting(ApiRateLimits.CaptchaPolicy);
        }
        foreach (var group in WebRoutes.SignedInGroups(app))
        {
            group.MapPost("/logout", Logout);
            group.MapPut("/password", ChangePassword).WithBody<ChangePasswordRequest>().RequireRateLimiting(ApiRateLimits.PasswordPolicy);
        }
    }

    private static async Task<ApiResult<TokenResponse>> Login(HttpContext context, IAccountService accounts, ILoginThrottle throttle, PasswordChecks checks,
        CaptchaService captchas, TokenService tokens, ApiSettings settings)
    {
        var request = await RequestBody.ReadAsync<LoginRequest>(context.Request);
        var (email, password, captchaId, captchaCode) = (request.Email, request.Password, request.CaptchaId, request.CaptchaCode);
        Validation.Check(v =>
        {
            v.Length("email", email, Rules.EmailMax, required: true);
            if (string.IsNullOrEmpty(password)) v.Add("password", "password is required.");
            else v.Length("password", password, Rules.PasswordMax);
        });

        var normalized = AccountService.NormalizeEmail(email);
        checks.TakeAccountCheck(normalized);
        // Reserved before the hash, in one step with the count and the captcha check: concurrent attempts are counted
        // before any of them is checked, and one stopped for its captcha reserves nothing.
        // A captcha that is sent is always checked (and used up, in a write of its own that stays whatever the attempt
        // comes to), so one answer can never work twice.
        bool? answered = captchaId is not null || captchaCode is not null ? captchas.Verify(captchaId, captchaCode) : null;
        var attempt = throttle.Begin(normalized, HiShoppingApi.ClientAddress(context), required =>
        {
            var demanded = settings.CaptchaPolicy switch
            {
                CaptchaPolicy.Always => true,
                CaptchaPolicy.Off => false,
                _ => required,
            };
            if ((answered is not null || demanded) && answered != true)
                throw new HiShopException(ErrorCode.CaptchaRequired,
                    captchaId is null ? "A captcha is required: GET /captcha and send captcha_id and captcha_code." : "The captcha answer is wrong or expired; get a new captcha.",
                    new CaptchaNeeded(true));
        });

        var user = await CheckPasswordAsync(context, checks, throttle, attempt, () => accounts.VerifyCredentials(normalized, password!));
        return Envelope.Ok(TokenResponse.From(tokens.Issue(user), user));
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

    private static ApiResult<CaptchaResponse> GetCaptcha(CaptchaService captchas)
    {
        var captcha = captchas.Create();
        return Envelope.Ok(new CaptchaResponse(captcha.Id, captcha.ImageDataUri, captcha.ExpiresIn));
    }

    private static ApiResult<LogoutResponse> Logout(HttpContext context, IAccountService accounts)
    {
        accounts.Revoke(CurrentUser.Jti(context), CurrentUser.ExpiresAtMs(context));
        return Envelope.Ok(new LogoutResponse(true));
    }

    private static async Task<ApiResult<TokenResponse>> ChangePassword(HttpContext context, IAccountService accounts, ILoginThrottle throttle, PasswordChecks checks, TokenService tokens)
    {
        var request = await RequestBody.ReadAsync<ChangePasswordRequest>(context.Request);
        var (oldPassword, newPassword) = (request.OldPassword, request.NewPassword);
        Validation.Check(v =>
        {
            if (string.IsNullOrEmpty(oldPassword)) v.Add("old_password", "old_password is required.");
            else v.Length("old_password", oldPassword, Rules.PasswordMax);
            Rules.Password(v, newPassword, "new_password");
        });
        var me = accounts.Get(CurrentUser.Id(context)) ?? throw new HiShopException(ErrorCode.Unauthorized, "Unauthorized.");
        checks.TakeAccountCheck(me.Email);
        var attempt = throttle.Begin(me.Email, HiShoppingApi.ClientAddress(context));
        var user = await CheckPasswordAsync(context, checks, throttle, attempt, () => accounts.ChangePassword(me.Id, oldPassword!, newPassword!));
        return Envelope.Ok(TokenResponse.From(tokens.Issue(user), user));
    }
}
