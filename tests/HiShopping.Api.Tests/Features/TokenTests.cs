using System.Net;
using System.Security.Claims;
using System.Text;
using HiShopping.Api.Auth;
using HiShopping.Store.Services;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HiShopping.Api.Tests.Features;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class TokenTests(ApiServer server)
{
    [Test]
    public async Task Logout_turns_the_token_into_4001()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        (await session.GetAsync("/api/v1/web/goods")).EnsureCode(0);

        (await session.SendAsync(HttpMethod.Post, "/api/v1/web/logout")).EnsureCode(0);
        var after = await session.GetAsync("/api/v1/web/goods");

        await Assert.That(after.Code).IsEqualTo(4001);
        await Assert.That(after.Status).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Password_change_returns_a_fresh_token_and_turns_old_ones_into_4001()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var second = await server.LoginAsync(session.Email, ApiServer.Password);

        var changed = await session.SendAsync(HttpMethod.Put, "/api/v1/web/password", new { old_password = ApiServer.Password, new_password = "a brand new secret" });
        changed.EnsureCode(0);
        var fresh = new Session(server, changed.Data.GetProperty("token").GetString(), session.Email);

        await Assert.That((await session.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(4001);
        await Assert.That((await second.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(4001);
        await Assert.That((await fresh.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(0);
        // The new password logs in; the old one does not.
        await server.LoginAsync(session.Email, "a brand new secret");
        var old = await new Session(server, null, "").SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email = session.Email, password = ApiServer.Password });
        await Assert.That(old.Code).IsEqualTo(3002);
    }

    [Test]
    [Arguments("wrong old password", "a brand new secret", "old_password")]
    [Arguments(ApiServer.Password, "short", "new_password")]
    [Arguments(ApiServer.Password, ApiServer.Password, "new_password")]
    public async Task A_bad_password_change_is_4000_and_changes_nothing(string oldPassword, string newPassword, string field)
    {
        var session = await server.NewMerchantAsync(withProfile: false);

        var response = await session.SendAsync(HttpMethod.Put, "/api/v1/web/password", new { old_password = oldPassword, new_password = newPassword });

        await Assert.That(response.Code).IsEqualTo(4000);
        await Assert.That(response.Data.GetProperty("errors").TryGetProperty(field, out _)).IsTrue();
        await Assert.That((await session.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(0);
    }

    [Test]
    public async Task Disabling_the_user_turns_the_token_into_4001_and_enabling_does_not_revive_it()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var accounts = server.Get<IAccountService>();

        accounts.SetStatus(session.Email, "disabled");
        await Assert.That((await session.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(4001);

        accounts.SetStatus(session.Email, "active");
        await Assert.That((await session.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(4001);
        var again = await server.LoginAsync(session.Email, ApiServer.Password);
        await Assert.That((await again.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(0);
    }

    [Test]
    public async Task Missing_header_and_garbage_tokens_are_4001()
    {
        var none = new Session(server, null, "");
        await Assert.That((await none.GetAsync("/api/v1/web/credit")).Code).IsEqualTo(4001);
        var garbage = new Session(server, "not.a.token", "");
        await Assert.That((await garbage.GetAsync("/api/v1/web/credit")).Code).IsEqualTo(4001);
    }

    [Test]
    public async Task Alg_none_tampered_wrongly_signed_and_expired_tokens_are_4001()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var user = server.Get<IAccountService>().Get(session.UserId)!;
        var parts = session.Token!.Split('.');

        // alg "none", same claims, no signature.
        var noneHeader = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        var algNone = $"{noneHeader}.{parts[1]}.";

        // Tampered: the payload claims to be an operator, the signature is the original one.
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"merchant\"", "\"operator\"");
        var tampered = $"{parts[0]}.{Base64Url(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        // Well-formed, but signed with another key.
        var otherKey = new JwtKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var wronglySigned = new TokenService(otherKey, TimeProvider.System).Issue(user).Token;

        // Signed with the real key, expired a second ago (no clock skew is allowed).
        var realKey = new JwtKey(await File.ReadAllBytesAsync(server.Store.JwtKeyPath));
        var expired = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer, Audience = TokenService.Audience,
            IssuedAt = DateTime.UtcNow.AddHours(-25), NotBefore = DateTime.UtcNow.AddHours(-25), Expires = DateTime.UtcNow.AddSeconds(-1),
            Subject = new ClaimsIdentity([
                new Claim("sub", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("role", user.Role),
                new Claim("jti", Guid.NewGuid().ToString("N")),
                new Claim(TokenService.TokenVersionClaim, user.TokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)]),
            SigningCredentials = new SigningCredentials(realKey.SecurityKey, SecurityAlgorithms.HmacSha256),
        });

        foreach (var token in new[] { algNone, tampered, wronglySigned, expired })
        {
            var response = await new Session(server, token, "").GetAsync("/api/v1/web/goods");
            await Assert.That(response.Code).IsEqualTo(4001);
        }
        // The original is still fine: the failures above are the tokens', not the session's.
        await Assert.That((await session.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(0);
    }

    [Test]
    public async Task An_operator_token_is_4002_on_merchant_endpoints()
    {
        var op = await server.NewOperatorAsync();
        var response = await op.GetAsync("/api/v1/web/merchant");
        await Assert.That(response.Code).IsEqualTo(4002);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That((await op.GetAsync("/api/v1/web/goods")).Code).IsEqualTo(0);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

/// <summary>Token lifetime on the server's own clock (a fake one here), with no skew: 24 hours, to the second.</summary>
public sealed class TokenLifetimeTests
{
    [Test]
    public async Task A_token_works_until_its_24_hours_are_up_and_not_a_second_longer()
    {
        await using var server = new FakeClockApiServer();
        await server.InitializeAsync();
        var session = await server.NewMerchantAsync();

        server.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await Assert.That((await session.GetAsync("/api/v1/web/merchant")).Code).IsEqualTo(0);

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await session.GetAsync("/api/v1/web/merchant");
        await Assert.That(expired.Code).IsEqualTo(4001);
    }
}
