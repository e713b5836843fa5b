using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>
/// App ID, the masked API key, the sign key's state, the app's settings and the fee rate; regenerating either key
/// shows it in full once; the settings (notify URL, IP allow-list, low-credit alert) are edited here.
/// </summary>
public sealed class KeysScreen : Screen
{
    private readonly Label _appId, _apiKey, _apiKeyUsed, _signKey, _status, _notify, _ips, _low, _rate, _fee;
    private Api.Features.Apps.AppResponse? _app;

    public KeysScreen(IApplication app, IConsoleClient client) : base(app, client, "Keys")
    {
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "API Key Management", X = 0, Y = 0 });
        Add(Ui.Field("  App ID", out _appId, 1), Ui.Field("  App status", out _status, 2), Ui.Field("  API key", out _apiKey, 3),
            Ui.Field("  Last used", out _apiKeyUsed, 4), Ui.Field("  Sign key", out _signKey, 5));
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "App Settings", X = 0, Y = 7 });
        Add(Ui.Field("  Notify URL", out _notify, 8), Ui.Field("  IP allow-list", out _ips, 9), Ui.Field("  Low credit at", out _low, 10),
            Ui.Field("  Rate limit", out _rate, 11), Ui.Field("  Fee rate", out _fee, 12));
        Add(new Label
        {
            X = 0, Y = 14, Width = Dim.Fill(), Height = 2,
            Text = "The API key and the sign key are shown only once, when generated.\nRegenerating one stops the old one at once.",
        });
        var regenerateApi = new Button { ShadowStyle = ShadowStyles.None, Text = "Regenerate _API key", X = 0, Y = 16 };
        var regenerateSign = new Button { ShadowStyle = ShadowStyles.None, Text = "Regenerate _sign key", X = Pos.Right(regenerateApi) + 1, Y = 16 };
        var edit = new Button { ShadowStyle = ShadowStyles.None, Text = "_Edit settings", X = 0, Y = 17 };
        Add(regenerateApi, regenerateSign, edit);
        edit.Accepting += (_, e) => { e.Handled = true; EditSettings(null); };

        regenerateApi.Accepting += (_, e) =>
        {
            e.Handled = true;
            if (!Ui.Confirm(App, "Regenerate API key", "Generate a new API key? The current one stops working at once.", "Regenerate")) return;
            Ui.Background(App, Client.RegenerateApiKeyAsync, key => { Ui.ShowOnce(App, "Your new API key", key.ApiKey); Refresh(); });
        };
        regenerateSign.Accepting += (_, e) =>
        {
            e.Handled = true;
            if (!Ui.Confirm(App, "Regenerate sign key", "Generate a new sign key? Requests signed with the current one fail at once.", "Regenerate")) return;
            Ui.Background(App, Client.RegenerateSignKeyAsync, key => { Ui.ShowOnce(App, "Your new sign key", key.SignKey); Refresh(); });
        };
    }

    public override string Keys => "Alt+A regenerates the API key · Alt+S regenerates the sign key (each asks first) · Alt+E edits the notify URL, IP allow-list and low-credit alert";

    /// <summary>
    /// The settings form; a value the server refuses comes back in the same form, with what was typed, after the
    /// message. Empty fields clear the notify URL and the alert, and an empty allow-list allows every address.
    /// </summary>
    private void EditSettings(string[]? typed, string? problem = null)
    {
        if (_app is not { } app)
        {
            // Alt+E before the screen has loaded: load the settings, then open the form with them.
            Ui.Background(App, Client.AppAsync, keys => { _app = keys.App; EditSettings(typed, problem); });
            return;
        }
        var values = typed ?? [app.NotifyUrl ?? "", string.Join(", ", app.IpWhitelist), app.LowCreditThreshold?.ToString() ?? ""];
        if (Ui.Form(App, "App settings",
                v => v[2].Trim().Length > 0 && !Ui.TryAmount(v[2], signed: false, out _) ? "The low-credit alert is an amount like 500.00, or empty for none." : null,
                problem,
                [("Notify URL (http(s)://…)", values[0], false), ("IP allow-list (a, b)", values[1], false), ("Low credit at (USD)", values[2], false)]) is not { } v) return;
        Ui.TryAmount(v[2], signed: false, out var low);
        var update = new Api.Features.Apps.UpdateAppRequest
        {
            NotifyUrl = v[0].Trim(),
            IpWhitelist = v[1].Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            LowCreditThreshold = v[2].Trim().Length == 0 ? "" : HiShopping.Store.Money.Format(low),
        };
        // A value the server refuses reopens the form with what was typed, the server's reason under the fields.
        Ui.Background(App, () => Client.UpdateAppAsync(update), _ => { Ui.Info(App, "App settings", "Saved."); Refresh(); }, again: why => EditSettings(v, why));
    }

    public override void Refresh() => Load(async () => (await Client.AppAsync(), await Client.MerchantAsync()), loaded =>
    {
        var (keys, merchant) = loaded;
        var (app, apiKey) = (keys.App, keys.ApiKey);
        _app = app;
        _notify.Text = app.NotifyUrl ?? "none (no webhooks)";
        _ips.Text = app.IpWhitelist.Count == 0 ? "any address" : string.Join(", ", app.IpWhitelist);
        _low.Text = app.LowCreditThreshold is { } low ? $"{Ui.Money(low)} USD (credit.low webhook)" : "no alert";
        _rate.Text = app.RateLimit.Rps == 0 ? "unlimited" : $"{app.RateLimit.Rps}/s, burst {app.RateLimit.Burst} (set by the operator)";
        _fee.Text = merchant is null ? "-" : $"{merchant.FeeRateBps / 100m:0.00} % of the goods amount (set by the operator)";
        _appId.Text = app.AppId;
        _status.Text = app.Status;
        _apiKey.Text = apiKey.ApiKey ?? "not generated yet";
        _apiKeyUsed.Text = apiKey.LastUsedAt is { } used ? Ui.Date(used) : "never";
        _signKey.Text = app.SignKeySet ? $"set {Ui.Date(app.SignKeyCreatedAt)} (HMAC-SHA256)" : "not generated yet";
    });
}
