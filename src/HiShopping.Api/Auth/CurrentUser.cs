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

    private static readonly object MerchantKey = new();

    /// <summary>
    /// The signed-in user's merchant id, read with the token's state (one query per request, see <c>JwtSetup</c>); 4004
    /// with how to create the profile when the user has none. A merchant, once made, is never removed or moved.
    /// </summary>
    public static long MerchantId(HttpContext context) =>
        context.Items.TryGetValue(MerchantKey, out var id) && id is long merchantId
            ? merchantId
            : throw new HiShopException(ErrorCode.NotFound, Store.Services.MerchantService.NoProfileMessage);

    internal static void SetMerchantId(HttpContext context, long? merchantId)
    {
        if (merchantId is { } id) context.Items[MerchantKey] = id;
    }

    public static string Jti(HttpContext context) =>
        context.User.FindFirstValue(JwtRegisteredClaimNames.Jti) ?? throw new HiShopException(ErrorCode.Unauthorized, "Unauthorized.");

    public static long ExpiresAtMs(HttpContext context) =>
        long.TryParse(context.User.FindFirstValue(JwtRegisteredClaimNames.Exp), NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? exp * 1000
            : DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeMilliseconds();
}
