using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Http;
using HiShopping.Store;
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
            group.MapPost("/login", Login);
            group.MapGet("/captcha", GetCaptcha);
        }
        foreach (var group in WebRoutes.SignedInGroups(app))
        {
            group.MapPost("/logout", Logout);
            group.MapPut("/password", ChangePassword);
        }
    }

    private static async Task<IResult> Login(HttpContext context, IAccountService accounts, LoginGuard guard, CaptchaService captchas,
        TokenService tokens, ApiSettings settings)
    {
        var body = await JsonBody.ReadAsync(context.Request);
        var email = body.String("email", required: true, maxLength: 254);
        var password = body.String("password", required: true, maxLength: AccountService.MaxPassword);
        var captchaId = body.String("captcha_id", maxLength: 64);
        var captchaCode = body.String("captcha_code", maxLength: 16);
        body.ThrowIfInvalid();

        var normalized = AccountService.NormalizeEmail(email);
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        guard.ThrowIfLocked(normalized);

        var required = settings.CaptchaPolicy switch
        {
            CaptchaPolicy.Always => true,
            CaptchaPolicy.Off => false,
            _ => guard.CaptchaRequired(normalized, client),
        };
        // A captcha that is sent is always checked (and used up), so one answer can never work twice.
        if (captchaId is not null || captchaCode is not null || required)
        {
            if (!captchas.Verify(captchaId, captchaCode))
                throw new HiShopException(ErrorCode.CaptchaRequired,
                    captchaId is null ? "A captcha is required: GET /captcha and send captcha_id and captcha_code." : "The captcha answer is wrong or expired; get a new captcha.",
                    new { captcha_required = true });
        }

        User user;
        try
        {
            user = accounts.VerifyCredentials(normalized, password!);
        }
        catch (HiShopException e) when (e.Code == ErrorCode.InvalidCredentials)
        {
            guard.RecordFailure(normalized, client);
            throw;
        }
        guard.RecordSuccess(normalized);
        return Envelope.Ok(TokenResponse(tokens.Issue(user), user));
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

    private static async Task<IResult> ChangePassword(HttpContext context, IAccountService accounts, TokenService tokens)
    {
        var body = await JsonBody.ReadAsync(context.Request);
        var oldPassword = body.String("old_password", required: true, maxLength: AccountService.MaxPassword);
        var newPassword = body.String("new_password", required: true, maxLength: AccountService.MaxPassword + 1);
        body.ThrowIfInvalid();
        var user = accounts.ChangePassword(CurrentUser.Id(context), oldPassword!, newPassword!);
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
