using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HiShopping.Api;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>Issue 12: a start that fails says why in one line, and never loses the operator's access.</summary>
[ParallelLimiter<ProcessLimit>]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServeStartupTests
{
    [Test]
    public async Task A_busy_port_is_one_line_and_exit_1_and_creates_nothing_then_the_next_start_shows_the_password()
    {
        using var cli = new CliRunner();
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var busy = ((IPEndPoint)holder.LocalEndpoint).Port;

        var failed = await HishopProcess.RunToExitAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{busy}"]);

        await Assert.That(failed.ExitCode).IsEqualTo(1);
        await Assert.That(failed.ErrLines.Length).IsEqualTo(1);
        await Assert.That(failed.Err).StartsWith($"error: port {busy} is in use");
        await Assert.That(failed.Err).Contains("--urls");
        await Assert.That(failed.Err).DoesNotContain("   at ");
        await Assert.That(TestData.NothingCreated(cli.DataDir)).IsTrue();

        var port = CliRunner.FreePort();
        await using var serve = await HishopProcess.StartServeAsync(cli.DataDir, port);
        // A first start on an empty data directory logs no error: nothing reads the store before it is set up.
        await Assert.That(serve.Lines.Where(l => l.Contains("crit:", StringComparison.Ordinal) || l.Contains("fail:", StringComparison.Ordinal) ||
                                                 l.Contains("Exception", StringComparison.Ordinal))).IsEmpty();
        var password = PasswordIn(serve.Lines);
        await Assert.That(password).IsNotNull();
        await Assert.That(await LoginCode(port, StoreInitializer.FirstOperatorEmail, password!)).IsEqualTo(0);
    }

    [Test]
    public async Task An_operator_made_by_a_start_that_never_showed_its_password_gets_a_new_one()
    {
        using var cli = new CliRunner();
        // A first start that created the operator and then died before printing: the store says so.
        using (var services = new ServiceCollection().AddHiShoppingDomain(TestData.Options(cli.DataDir)).BuildServiceProvider())
        {
            var lost = services.GetRequiredService<IStoreInitializer>().Initialize(seedDemoCatalog: false, createOperator: true);
            await Assert.That(lost.OperatorPassword).IsNotNull();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var port = CliRunner.FreePort();
        string password;
        await using (var serve = await HishopProcess.StartServeAsync(cli.DataDir, port))
        {
            await Assert.That(string.Join('\n', serve.Lines)).Contains("here is a new one");
            password = PasswordIn(serve.Lines)!;
            await Assert.That(await LoginCode(port, StoreInitializer.FirstOperatorEmail, password)).IsEqualTo(0);
        }
        // Shown once: the next start does not make another.
        await using var again = await HishopProcess.StartServeAsync(cli.DataDir, port);
        await Assert.That(PasswordIn(again.Lines)).IsNull();
        await Assert.That(await LoginCode(port, StoreInitializer.FirstOperatorEmail, password)).IsEqualTo(0);
    }

    [Test]
    public async Task Https_without_a_certificate_is_one_line()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("serve", "--urls", "https://127.0.0.1:0");
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(result.Err).Contains("--cert");
        await Assert.That(TestData.NothingCreated(cli.DataDir)).IsTrue();
    }

    [Test]
    public async Task Tls_with_a_self_signed_certificate_serves_healthz_to_curl()
    {
        using var cli = new CliRunner();
        var (certPath, keyPath) = SelfSigned(Directory.CreateTempSubdirectory("hishop-tls-").FullName);
        var port = CliRunner.FreePort();
        await using var serve = await HishopProcess.StartAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"https://127.0.0.1:{port}", "--cert", certPath, "--cert-key", keyPath]);

        var curl = await Run("curl", "-sk", $"https://127.0.0.1:{port}/healthz");
        using var health = JsonDocument.Parse(curl);
        await Assert.That(health.RootElement.GetProperty("code").GetInt32()).IsEqualTo(0);
        // And it is TLS: plain HTTP to the same port is not answered with the API.
        var plain = await Run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{port}/healthz");
        await Assert.That(plain).IsNotEqualTo("200");
    }

    [Test]
    public async Task A_private_key_others_can_read_is_refused()
    {
        using var cli = new CliRunner();
        var (certPath, keyPath) = SelfSigned(Directory.CreateTempSubdirectory("hishop-tls-").FullName);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = await cli.RunAsync("serve", "--urls", "https://127.0.0.1:0", "--cert", certPath, "--cert-key", keyPath);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.ErrLines.Length).IsEqualTo(1);
        await Assert.That(result.Err).Contains("chmod 600");
    }

    [Test]
    public async Task Serve_writes_nothing_outside_its_data_directory_and_its_access_log_holds_no_secret()
    {
        using var cli = new CliRunner();
        var home = Directory.CreateTempSubdirectory("hishop-home-").FullName;
        var port = CliRunner.FreePort();
        var env = new Dictionary<string, string> { ["HOME"] = home, ["XDG_DATA_HOME"] = "", ["DOTNET_CLI_HOME"] = home };
        string requestId;
        HishopProcess? stopped;
        await using (var serve = await HishopProcess.StartAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{port}", "--access-log"], env))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Assert.That((await http.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("code").GetInt32()).IsEqualTo(0);
            await LoginCode(port, "nobody@example.com", "wrong-password");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/web/credit?secret=abc");
            request.Headers.Add("Authorization", "Bearer not-a-real-token-but-secret-looking");
            using var answer = await http.SendAsync(request);
            requestId = answer.Headers.GetValues("X-Request-Id").Single();
            await serve.StopAsync();
            stopped = serve;
        }

        await Assert.That(Directory.EnumerateFileSystemEntries(home).ToList()).IsEmpty();
        Directory.Delete(home, true);
        var line = stopped.Lines.Single(l => l.Contains(requestId, StringComparison.Ordinal));
        await Assert.That(line).Contains("127.0.0.1 GET /api/v1/web/credit 401 ");
        await Assert.That(line).DoesNotContain("secret");
        await Assert.That(string.Join('\n', stopped.Lines)).DoesNotContain("not-a-real-token");
        await Assert.That(string.Join('\n', stopped.Lines)).DoesNotContain("wrong-password");
    }

    [Test]
    public async Task User_unlock_clears_a_lock_and_says_so()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "locked@example.com", "--password", "password-123");
        var throttle = cli.Get<HiShopping.Store.Security.ILoginThrottle>();
        for (var i = 0; i < HiShopping.Store.Security.LoginThrottle.LockAfter; i++)
            throttle.Failed(throttle.Begin("locked@example.com", "192.0.2.1"));
        await Assert.That(throttle.LockedUntil("locked@example.com")).IsNotNull();

        var unlocked = await cli.RunAsync("user", "unlock", "--email", "LOCKED@example.com");
        await Assert.That(unlocked.ExitCode).IsEqualTo(0);
        await Assert.That(unlocked.Out).Contains("is unlocked");
        await Assert.That(throttle.LockedUntil("locked@example.com")).IsNull();

        var unknown = await cli.RunAsync("user", "unlock", "--email", "nobody@example.com");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
        await Assert.That(unknown.ErrLines.Length).IsEqualTo(1);
    }

    [Test]
    public async Task App_rate_limit_sets_and_refuses_bad_numbers()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("user", "create", "--email", "rl@example.com", "--password", "password-123");
        var user = cli.Get<IAccountService>().Find("rl@example.com")!;
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "RL" });

        var set = await cli.RunAsync("app", "rate-limit", "--merchant", "rl@example.com", "--rps", "50", "--burst", "80");
        await Assert.That(set.ExitCode).IsEqualTo(0);
        await Assert.That(set.Out).Contains("50/s, burst 80");
        await Assert.That(cli.Get<IAppService>().GetForMerchant(merchant.Id).RateLimit).IsEqualTo(new AppRateLimit(50, 80));

        foreach (var bad in new[] { "-1", "abc", "2000000" })
        {
            var refused = await cli.RunAsync("app", "rate-limit", "--merchant", "rl@example.com", "--rps", bad);
            await Assert.That(refused.ExitCode).IsEqualTo(2);
            await Assert.That(refused.ErrLines.Length).IsEqualTo(1);
        }
        await Assert.That(cli.Get<IAppService>().GetForMerchant(merchant.Id).RateLimit).IsEqualTo(new AppRateLimit(50, 80));
        var unlimited = await cli.RunAsync("app", "rate-limit", "--merchant", "rl@example.com", "--rps", "0");
        await Assert.That(unlimited.Out).Contains("unlimited");
    }

    private static string? PasswordIn(IReadOnlyList<string> lines) =>
        lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("password:", StringComparison.Ordinal))?["password:".Length..].Trim();

    private static async Task<int> LoginCode(int port, string email, string password)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var response = await http.PostAsJsonAsync("/api/v1/web/login", new { email, password });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32();
    }

    private static (string Cert, string Key) SelfSigned(string dir)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(dir, "cert.pem");
        var keyPath = Path.Combine(dir, "key.pem");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certPath, keyPath);
    }

    private static async Task<string> Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
