using HiShopping.Tool.Tui.Screens;
using System.Net.Http.Json;
using HiShopping.Api;
using HiShopping.Api.Auth;
using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Tool.Tui.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>The console in remote mode: the same screens over the Web API of a real server on loopback.</summary>
[ParallelLimiter<ConsoleLimit>]
public sealed class RemoteConsoleTests
{
    private sealed class FixedCaptcha : ICaptchaCodeSource
    {
        public string Next() => "R7TK4";
    }

    internal static async Task<WebApplication> ServeAsync(ConsoleStore store)
    {
        var app = HiShoppingApi.Build(TestData.Options(store.Cli.DataDir), new ApiSettings { Urls = "http://127.0.0.1:0", RateLimits = new ApiRateLimits { PasswordChecksPerClientBurst = 10_000, PasswordChecksPerAccountBurst = 1_000, CaptchasPerClientBurst = 10_000 } },
            services => services.Replace(ServiceDescriptor.Singleton<ICaptchaCodeSource, FixedCaptcha>()));
        await app.StartAsync();
        return app;
    }

    [Test]
    public async Task The_merchant_walk_works_over_http_with_the_same_screens()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var server = await ServeAsync(store);
        await using var ui = await ConsoleHarness.StartAsync(new RemoteConsoleClient(new Uri(server.Urls.First())));
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");

        var overview = await ui.WaitForAsync(HiShopping.Tool.Tui.Ui.Money(123_456));
        await Assert.That(overview).Contains("remote ·");
        var reference = store.Cli.Get<HiShopping.Store.Services.ICreditService>().Transactions(store.MerchantId, new()).Items[0].ReferenceNo;
        await ui.OpenAsync("Transactions", reference);
        var app = store.Cli.Get<HiShopping.Store.Services.IAppService>().GetForMerchant(store.MerchantId);
        await ui.OpenAsync("Keys", app.MaskedApiKey!);
        await ui.OpenAsync("Profile", "****9012");
        await ui.OpenAsync("Goods", "Home & Kitchen");
        await ui.OpenAsync("Orders", store.OrderNo);
        // The reference: path parameters as written, the base URL of the server connected to, headings as text.
        var docs = await ui.OpenAsync("API Docs", "API DOCUMENTATION");
        await Assert.That(docs).Contains($"{server.Urls.First()}/api/v1/web");
        await Assert.That(docs).DoesNotContain("# ");
        await ui.PressAsync(Key.Tab);
        for (var i = 0; i < 3; i++) await ui.PressAsync(Key.PageDown);
        await ui.WaitForAsync("/orders/{order_no}/cancel");
        // Webhooks over the Web API: no notify_url yet, so no events.
        await ui.OpenAsync("Webhooks", "No notify URL yet");
        await ui.WaitForAsync("0 events");
        await Assert.That((await ui.ScreenNamesAsync()).Count).IsEqualTo(8);
        await Assert.That(ui.Errors).IsEmpty();
    }

    [Test]
    public async Task When_the_server_demands_a_captcha_it_is_drawn_in_the_terminal_and_its_answer_signs_in()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var server = await ServeAsync(store);
        using (var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) })
            for (var i = 0; i < LoginThrottle.CaptchaAfterAccountFailures; i++)
                await http.PostAsJsonAsync("/api/v1/web/login", new { email = ConsoleStore.Merchant, password = "wrong-password" });

        await using var ui = await ConsoleHarness.StartAsync(new RemoteConsoleClient(new Uri(server.Urls.First())));
        await ui.TypeAsync(ConsoleStore.Merchant);
        await ui.PressAsync(Key.Tab);
        await ui.TypeAsync(ConsoleStore.Password);
        await ui.PressAsync(Key.Enter);
        var captcha = await ui.WaitForAsync("The server asks for a captcha");
        await Assert.That(captcha).Contains("Captcha:");
        await Assert.That(captcha.Count(c => c is '█' or '▀' or '▄')).IsGreaterThan(40);
        // Drawn as wide as 80 columns allow, not a fixed 42. The picture's own width is asked, not the span of its dark
        // cells on screen: the letters and noise are placed at random, so their span can be narrower than the picture.
        static IEnumerable<View> Tree(View view) => view.SubViews.SelectMany(Tree).Prepend(view);
        var pictureWidth = await ui.OnUiAsync((_, shell) =>
            Tree(shell).OfType<Label>().Single(l => l.Text.IndexOfAny(['█', '▀', '▄']) >= 0).Frame.Width);
        await Assert.That(pictureWidth).IsGreaterThan(LoginScreen.MinCaptchaColumns);

        // F2: plain ASCII; F2 again: blocks.
        await ui.PressAsync(Key.F2);
        var ascii = await ui.WaitUntilAsync(s => s.Count(c => c == '#') > 40, "the captcha in ASCII");
        await Assert.That(ascii.Count(c => c is '█' or '▀' or '▄')).IsEqualTo(0);
        await ui.PressAsync(Key.F2);
        await ui.WaitUntilAsync(s => s.Count(c => c is '█' or '▀' or '▄') > 40, "the captcha in blocks again");

        // F5: another picture, with a word about it; a wrong answer: another picture and why.
        await ui.PressAsync(Key.F5);
        await ui.WaitForAsync("A new picture.");
        await ui.TypeAsync("WRONG");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("That was not the picture's text");

        await ui.TypeAsync("R7TK4");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("Credit Status");
    }

    [Test]
    public async Task In_remote_mode_an_operator_gets_every_operator_screen_through_the_operator_api()
    {
        using var store = await ConsoleStore.CreateAsync();
        await using var server = await ServeAsync(store);
        await using var ui = await ConsoleHarness.StartAsync(new RemoteConsoleClient(new Uri(server.Urls.First())));
        await ui.LoginAsync(ConsoleStore.Operator, ConsoleStore.Password, "Merchants");

        await Assert.That(string.Join(",", await ui.ScreenNamesAsync())).IsEqualTo("Merchants,Ledger,All Orders,Users,Catalog,Goods,API Docs");
        await ui.WaitForAsync(ConsoleStore.Merchant);
        await ui.OpenAsync("Catalog", "catalog files are imported there");
    }

    [Test]
    public async Task A_server_that_is_not_there_is_a_message_not_a_crash()
    {
        await using var ui = await ConsoleHarness.StartAsync(new RemoteConsoleClient(new Uri($"http://127.0.0.1:{CliRunner.FreePort()}")));
        await ui.LoginAsync("a@example.com", "password-123", "Cannot reach the server");
        await Assert.That(ui.Errors).IsEmpty();
    }
}
