using System.Diagnostics;
using System.Net;
using HiShopping.Api.Auth;
using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

/// <summary>Each test gets its own server: failed logins are remembered per client address, and every test here fails some.</summary>
public sealed class LoginTests
{
    [Test]
    public async Task Login_returns_a_bearer_token_and_the_user()
    {
        await using var server = await ApiServer.StartAsync();
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);

        var response = await new Session(server, null, email).SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email = email.ToUpperInvariant(), password = ApiServer.Password });

        await Assert.That(response.Code).IsEqualTo(0);
        await Assert.That(response.Data.GetProperty("token_type").GetString()).IsEqualTo("Bearer");
        await Assert.That(response.Data.GetProperty("expires_in").GetInt32()).IsEqualTo(86400);
        await Assert.That(response.Data.GetProperty("token").GetString()!.Split('.').Length).IsEqualTo(3);
        var user = response.Data.GetProperty("user");
        await Assert.That(user.GetProperty("email").GetString()).IsEqualTo(email);
        await Assert.That(user.GetProperty("role").GetString()).IsEqualTo("merchant");
        await Assert.That(user.GetProperty("has_merchant").GetBoolean()).IsFalse();
        var expiresAt = DateTimeOffset.Parse(response.Data.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await Assert.That(Math.Abs((expiresAt - DateTimeOffset.UtcNow.AddHours(24)).TotalMinutes)).IsLessThan(2);
    }

    [Test]
    public async Task Unknown_email_and_wrong_password_answer_identically()
    {
        // The production hash cost: the point is that both answers pay it.
        await using var server = await ApiServer.StartAsync(s => s, passwordIterations: HiShopping.Store.Security.PasswordHasher.ProductionIterations);
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, email);

        var watch = Stopwatch.StartNew();
        var wrongPassword = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = "not the password" });
        var wrongTime = watch.Elapsed;
        watch.Restart();
        var unknownEmail = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email = ApiServer.NewEmail(), password = "not the password" });
        var unknownTime = watch.Elapsed;

        await Assert.That(wrongPassword.Status).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(unknownEmail.Status).IsEqualTo(wrongPassword.Status);
        await Assert.That(wrongPassword.Code).IsEqualTo(3002);
        await Assert.That(unknownEmail.Code).IsEqualTo(wrongPassword.Code);
        await Assert.That(unknownEmail.Message).IsEqualTo(wrongPassword.Message);
        await Assert.That(unknownEmail.Data.ToString()).IsEqualTo(wrongPassword.Data.ToString());
        // Both pay for a full password hash; a short-cut for unknown emails would be many times faster.
        await Assert.That(unknownTime.TotalMilliseconds).IsGreaterThan(wrongTime.TotalMilliseconds * 0.3);
    }

    [Test]
    public async Task After_three_failures_the_captcha_is_demanded_and_a_right_answer_works_once_only()
    {
        await using var server = await ApiServer.StartAsync();
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, email);

        for (var i = 0; i < LoginThrottle.CaptchaAfterAccountFailures; i++)
            (await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = "wrong-password" })).EnsureCode(3002);

        var demanded = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = ApiServer.Password });
        await Assert.That(demanded.Code).IsEqualTo(3004);
        await Assert.That(demanded.Status).IsEqualTo(HttpStatusCode.BadRequest);

        var captcha = (await anonymous.GetAsync("/api/v1/web/captcha")).EnsureCode(0).Data;
        var captchaId = captcha.GetProperty("captcha_id").GetString();
        await Assert.That(captcha.GetProperty("expires_in").GetInt32()).IsEqualTo(300);

        var wrongAnswer = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
            new { email, password = ApiServer.Password, captcha_id = captchaId, captcha_code = "AAAAA" });
        await Assert.That(wrongAnswer.Code).IsEqualTo(3004);
        // A wrong answer used the captcha up: the right answer to it no longer works either.
        var afterWrong = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
            new { email, password = ApiServer.Password, captcha_id = captchaId, captcha_code = KnownCaptchaCodes.Answer });
        await Assert.That(afterWrong.Code).IsEqualTo(3004);

        var fresh = (await anonymous.GetAsync("/api/v1/web/captcha")).Data.GetProperty("captcha_id").GetString();
        var solved = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
            new { email, password = ApiServer.Password, captcha_id = fresh, captcha_code = KnownCaptchaCodes.Answer.ToLowerInvariant() });
        await Assert.That(solved.Code).IsEqualTo(0);

        var reused = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
            new { email, password = ApiServer.Password, captcha_id = fresh, captcha_code = KnownCaptchaCodes.Answer });
        await Assert.That(reused.Code).IsEqualTo(3004);
    }

    [Test]
    public async Task The_captcha_is_a_real_png_image()
    {
        await using var server = await ApiServer.StartAsync();
        var captcha = (await new Session(server, null, "").GetAsync("/api/v1/web/captcha")).EnsureCode(0).Data;
        var uri = captcha.GetProperty("image").GetString()!;
        await Assert.That(uri).StartsWith("data:image/png;base64,");

        var png = Convert.FromBase64String(uri["data:image/png;base64,".Length..]);
        await Assert.That(png.Take(8).ToArray()).IsEquivalentTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
        var pixels = Png.DecodeGrey(png);
        await Assert.That(pixels).IsNotNull();
        await Assert.That(pixels!.GetLength(1)).IsEqualTo(CaptchaImage.Width);
        await Assert.That(pixels.GetLength(0)).IsEqualTo(CaptchaImage.Height);
        // There is ink on the page: a good share of dark pixels, not just noise.
        var dark = pixels.Cast<byte>().Count(p => p < 100);
        await Assert.That(dark).IsGreaterThan(400);
    }

    [Test]
    public async Task Ten_failures_for_one_email_lock_it_with_4029_and_retry_after()
    {
        await using var server = await ApiServer.StartAsync();
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, email);

        for (var i = 0; i < LoginThrottle.LockAfter; i++)
        {
            var captchaId = (await anonymous.GetAsync("/api/v1/web/captcha")).Data.GetProperty("captcha_id").GetString();
            (await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
                new { email, password = "wrong-password", captcha_id = captchaId, captcha_code = KnownCaptchaCodes.Answer })).EnsureCode(3002);
        }
        var lockedCaptcha = (await anonymous.GetAsync("/api/v1/web/captcha")).Data.GetProperty("captcha_id").GetString();
        var locked = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
            new { email, password = ApiServer.Password, captcha_id = lockedCaptcha, captcha_code = KnownCaptchaCodes.Answer });

        await Assert.That(locked.Code).IsEqualTo(4029);
        await Assert.That(locked.Status).IsEqualTo(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(locked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        await Assert.That(retryAfter).IsGreaterThan(800);
        await Assert.That(retryAfter).IsLessThanOrEqualTo(900);
    }

    [Test]
    public async Task A_disabled_user_is_told_so_only_with_the_right_password()
    {
        await using var server = await ApiServer.StartAsync();
        var email = ApiServer.NewEmail();
        var accounts = server.Get<IAccountService>();
        accounts.Create(email, ApiServer.Password, Roles.Merchant);
        accounts.SetStatus(email, "disabled");
        var anonymous = new Session(server, null, email);

        var right = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = ApiServer.Password });
        var wrong = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = "wrong-password" });

        await Assert.That(right.Code).IsEqualTo(3003);
        await Assert.That(right.Status).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(wrong.Code).IsEqualTo(3002);
    }

    [Test]
    public async Task Login_without_email_or_password_is_4000_naming_each_field()
    {
        await using var server = await ApiServer.StartAsync();
        var response = await new Session(server, null, "").SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email = "" });

        await Assert.That(response.Code).IsEqualTo(4000);
        var errors = response.Data.GetProperty("errors");
        await Assert.That(errors.TryGetProperty("email", out _)).IsTrue();
        await Assert.That(errors.TryGetProperty("password", out _)).IsTrue();
    }
}
