using System.Globalization;
using System.Security.Claims;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace HiShopping.Api.Auth;

/// <summary>Who is calling, from the validated token.</summary>
public static class CurrentUser
{
    public static long Id(HttpContext context) =>
        long.TryParse(context.User.FindFirstValue(JwtRegisteredClaimNames.Sub), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new HiShopException(ErrorCode.Unauthorized, "Unauthorized.");

    public static string Jti(HttpContext context) =>
        context.User.FindFirstValue(JwtRegisteredClaimNames.Jti) ?? throw new HiShopException(ErrorCode.Unauthorized, "Unauthorized.");

    public static long ExpiresAtMs(HttpContext context) =>
        long.TryParse(context.User.FindFirstValue(JwtRegisteredClaimNames.Exp), NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? exp * 1000
            : DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeMilliseconds();
}
