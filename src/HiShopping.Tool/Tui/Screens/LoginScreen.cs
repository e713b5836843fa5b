using HiShopping.Api.Contracts;
using HiShopping.Store;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>
/// Email and password; in remote mode, when the server asks for it, the captcha drawn in block characters as large as
/// the terminal allows (F2 switches to plain ASCII, F5 fetches another picture; a wrong answer brings a new one too).
/// </summary>
public sealed class LoginScreen : View
{
    private readonly IApplication _app;
    private readonly IConsoleClient _client;
    private readonly TextField _email;
    private readonly TextField _password;
    private readonly TextField _captcha;
    private readonly Label _picture;
    private readonly Label _captchaLabel;
    private readonly Label _message;
    private readonly Button _button;

    /// <summary>The captcha's narrowest and widest drawing, in terminal columns; between them it fits the terminal.</summary>
    public const int MinCaptchaColumns = 42, MaxCaptchaColumns = 110;
    private string? _captchaId;
    private byte[]? _captchaPng;
    private bool _ascii;
    private bool _busy;

    public LoginScreen(IApplication app, IConsoleClient client, Action<ConsoleSession> signedIn)
    {
        _app = app;
        _client = client;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;

        var frame = new FrameView { Title = "Sign in", X = Pos.Center(), Y = 0, Width = Dim.Auto(minimumContentDim: 60), Height = Dim.Fill() };
        _email = new TextField { X = 12, Y = 0, Width = Dim.Fill(1) };
        _password = new TextField { X = 12, Y = 2, Width = Dim.Fill(1), Secret = true };
        // The captcha (remote mode, when the server asks): 8 rows of half blocks, then the answer field.
        _picture = new Label { HotKeySpecifier = Ui.NoHotKey, X = 12, Y = 4, Width = MinCaptchaColumns, Height = 8, Visible = false };
        _captchaLabel = new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Captcha:", X = 1, Y = 12, Visible = false };
        _captcha = new TextField { X = 12, Y = 12, Width = 12, Visible = false };
        _button = new Button { ShadowStyle = ShadowStyles.None, Text = "_Sign in", X = 12, Y = 4, IsDefault = true };
        _message = new Label { HotKeySpecifier = Ui.NoHotKey, X = 1, Y = Pos.Bottom(_button) + 1, Width = Dim.Fill(1), Height = 2, Text = "Tab moves between fields; Enter signs in." };
        frame.Add(new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Email:", X = 1, Y = 0 }, _email, new Label { HotKeySpecifier = Ui.NoHotKey, Text = "Password:", X = 1, Y = 2 }, _password,
            _picture, _captchaLabel, _captcha, _button, _message);
        var button = _button;
        Add(frame);

        button.Accepting += (_, e) =>
        {
            e.Handled = true;
            Submit(signedIn);
        };
        // Enter in a field: from the email on to the password; from the password (or captcha) sign in.
        _email.Accepting += (_, e) => { e.Handled = true; _password.SetFocus(); };
        _password.Accepting += (_, e) => { e.Handled = true; Submit(signedIn); };
        _captcha.Accepting += (_, e) => { e.Handled = true; Submit(signedIn); };
        KeyDown += (_, key) =>
        {
            if (!_captcha.Visible) return;
            if (key == Terminal.Gui.Input.Key.F5) { key.Handled = true; NewCaptcha("A new picture."); }
            else if (key == Terminal.Gui.Input.Key.F2) { key.Handled = true; _ascii = !_ascii; Draw(); }
        };
    }

    /// <summary>Fetches another captcha (F5, or after a wrong answer) and says why.</summary>
    private void NewCaptcha(string why)
    {
        if (_busy) return;
        _busy = true;
        _ = Task.Run(async () =>
        {
            CaptchaChallenge? challenge = null;
            string? failure = null;
            try { challenge = await _client.CaptchaAsync(); }
            catch (Exception e) { failure = e is HiShopException ? e.Message : "The captcha could not be shown: " + e.Message; }
            _app.Invoke(() =>
            {
                _busy = false;
                if (challenge is not null) ShowCaptcha(challenge);
                _message.Text = failure ?? why + " Type its characters, then Enter (F2: plain ASCII, F5: another).";
            });
        });
    }

    /// <summary>Puts the cursor in the email field (or the captcha field when one is shown).</summary>
    public void FocusFirst()
    {
        if (_captcha.Visible) _captcha.SetFocus();
        else _email.SetFocus();
    }

    private void Submit(Action<ConsoleSession> signedIn)
    {
        if (_busy) return;
        var email = _email.Text?.Trim() ?? "";
        var password = _password.Text ?? "";
        if (email.Length == 0 || password.Length == 0)
        {
            _message.Text = "Enter your email and password.";
            return;
        }
        _busy = true;
        _message.Text = "Signing in…";
        var captchaId = _captchaId;
        var answer = _captcha.Text;
        _ = Task.Run(async () =>
        {
            try
            {
                var session = await _client.LoginAsync(email, password, captchaId, captchaId is null ? null : answer);
                _app.Invoke(() => { _busy = false; signedIn(session); });
            }
            catch (HiShopException e) when (e.Code == ErrorCode.CaptchaRequired)
            {
                CaptchaChallenge? challenge = null;
                try { challenge = await _client.CaptchaAsync(); }
                catch (Exception) { /* no picture: the sign-in error below says what the server wants */ }
                _app.Invoke(() =>
                {
                    _busy = false;
                    ShowCaptcha(challenge);
                    // An answer was sent and refused: the user learns it, and why the picture changed.
                    var why = captchaId is null ? "The server asks for a captcha." : "That was not the picture's text: here is a new one.";
                    _message.Text = challenge is null ? e.Message : why + " Type its characters, then Enter (F2: plain ASCII, F5: another).";
                });
            }
            catch (Exception e)
            {
                _app.Invoke(() =>
                {
                    _busy = false;
                    _message.Text = e is HiShopException ? e.Message : "Sign-in failed: " + e.Message;
                    _password.Text = "";
                    _password.SetFocus();
                    _captchaId = null;
                });
            }
        });
    }

    private void ShowCaptcha(CaptchaChallenge? challenge)
    {
        _captchaId = challenge?.Id;
        _captchaPng = challenge?.Png;
        var visible = challenge is not null;
        _picture.Visible = _captcha.Visible = _captchaLabel.Visible = visible;
        Draw();
        _captcha.Text = "";
        if (visible) _captcha.SetFocus();
    }

    /// <summary>
    /// Draws the captcha as large as the terminal leaves room for: as wide as the frame can grow, and no taller than the
    /// rows left under the email and password.
    /// </summary>
    private void Draw()
    {
        if (_captchaPng is not { } png)
        {
            _picture.Text = "";
            _button.Y = 4;
            return;
        }
        var screen = _app.Screen;
        var columns = Math.Clamp(screen.Width - 20, MinCaptchaColumns, MaxCaptchaColumns);
        while (columns > MinCaptchaColumns && BlockPicture.Rows(columns) > screen.Height - 14) columns--;
        var rows = BlockPicture.FromPng(png, columns, _ascii);
        _picture.Width = columns;
        _picture.Height = rows.Count;
        _picture.Text = string.Join('\n', rows);
        _captchaLabel.Y = _captcha.Y = 4 + rows.Count;
        _button.Y = 5 + rows.Count;
    }
}
