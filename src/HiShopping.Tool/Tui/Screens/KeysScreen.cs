using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>App ID, the masked API key, the sign key's state; regenerating either key shows it in full once.</summary>
public sealed class KeysScreen : Screen
{
    private readonly Label _appId, _apiKey, _apiKeyUsed, _signKey, _status;

    public KeysScreen(IApplication app, IConsoleClient client) : base(app, client, "Keys")
    {
        Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "API Key Management", X = 0, Y = 0 });
        Add(Ui.Field("  App ID", out _appId, 1), Ui.Field("  App status", out _status, 2), Ui.Field("  API key", out _apiKey, 3),
            Ui.Field("  Last used", out _apiKeyUsed, 4), Ui.Field("  Sign key", out _signKey, 5));
        Add(new Label
        {
            X = 0, Y = 7, Width = Dim.Fill(), Height = 3,
            Text = "The API key and the sign key are shown only once, when generated.\nRegenerating one stops the old one at once.",
        });
        var regenerateApi = new Button { ShadowStyle = ShadowStyles.None, Text = "Regenerate _API key", X = 0, Y = 10 };
        var regenerateSign = new Button { ShadowStyle = ShadowStyles.None, Text = "Regenerate _sign key", X = Pos.Right(regenerateApi) + 2, Y = 10 };
        Add(regenerateApi, regenerateSign);

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

    public override string Keys => "Alt+A regenerates the API key · Alt+S regenerates the sign key (each asks first)";

    public override void Refresh() => Load(Client.AppAsync, keys =>
    {
        var (app, apiKey) = (keys.App, keys.ApiKey);
        _appId.Text = app.AppId;
        _status.Text = app.Status;
        _apiKey.Text = apiKey.ApiKey ?? "not generated yet";
        _apiKeyUsed.Text = apiKey.LastUsedAt is { } used ? Ui.Date(used) : "never";
        _signKey.Text = app.SignKeySet ? $"set {Ui.Date(app.SignKeyCreatedAt)} (HMAC-SHA256)" : "not generated yet";
    });
}
