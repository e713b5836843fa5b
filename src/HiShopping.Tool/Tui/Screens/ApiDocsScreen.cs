using HiShopping.Api.Contracts;
using HiShopping.Tool.Tui.Client;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace HiShopping.Tool.Tui.Screens;

/// <summary>API documentation: authentication, endpoints, codes and the signing rules, readable in the terminal.</summary>
public sealed class ApiDocsScreen : Screen
{
    public const string Text_ = """
        # API Documentation

        ## Authentication
        Web API: header `Authorization: Bearer {token}` on every request except login and captcha. Tokens come
        from `POST /login` and expire after 24 hours; logout, a password change or a disabled user end them.

        Open API: five headers, all required: `X-App-Id`, `X-Api-Key`, `X-Timestamp` (Unix seconds, ±300 s),
        `X-Nonce` (8–64 of A-Z a-z 0-9 _ -, never reused within 10 minutes) and `X-Signature`.

        ## Base URLs
        - Web API: `BASE/api/v1/web`
        - Open API: `BASE/api/v1/open`
        - Operator API (operator tokens): `BASE/api/v1/admin` — users, merchants, credit, orders, audit log
        - OpenAPI document: `BASE/openapi/v1.json`; reference page: `BASE/docs`

        ## Signing (Open API)
        `X-Signature` = lowercase hex HMAC-SHA256, keyed with your sign key, of

            METHOD \n PATH \n CANONICAL_QUERY \n APP_ID \n TIMESTAMP \n NONCE \n BODY_SHA256

        - CANONICAL_QUERY: split on `&`, split each part at the first `=`, form-decode, re-encode RFC 3986
          (upper-case %XX), sort by name then value, join with `&`.
        - BODY_SHA256: lowercase hex SHA-256 of the exact body bytes (of nothing for no body).
        - Check your signer: `hishop sign --app-id … --api-key … --sign-key … GET /api/v1/open/credit`.

        ## Web API endpoints
        | Method | Endpoint | Description |
        |---|---|---|
        | POST | /login | Log in with email and password |
        | POST | /logout | Log out |
        | GET | /captcha | Captcha image for login |
        | PUT | /password | Change password |
        | GET / POST | /apikey | API key (masked) / regenerate it |
        | POST / GET / PUT | /merchant | Create / read / update the merchant profile |
        | GET / PUT | /app | App info with App ID / update it |
        | PUT | /app/cert | Regenerate the sign key |
        | GET | /goods | Temu goods list |
        | GET | /goods/categories | Temu categories |
        | GET | /goods/detail/{goods_id} | Goods detail with SKUs |
        | GET | /orders, /orders/{order_no} | Orders, order detail |
        | POST | /orders/{order_no}/cancel | Cancel and refund your order (paid or processing) |
        | GET | /credit, /credit/transactions | Credit info, transactions |
        | GET | /credit/transactions.csv | Transactions as CSV |
        | GET | /webhooks/deliveries | Webhook deliveries |
        | POST | /webhooks/deliveries/{event_id}/retry, /webhooks/test | Send an event again, test ping |

        ## Open API endpoints
        | Method | Endpoint | Description |
        |---|---|---|
        | GET | /goods, /goods/categories, /goods/{goods_id} | Browse goods |
        | GET | /credit | Balance, limit, available |
        | POST | /orders | Place an order (debits credit) |
        | GET | /orders, /orders/{order_no} | Orders, order detail |
        | POST | /orders/{order_no}/cancel | Cancel and refund (paid or processing) |

        ## Response codes
        | Code | Description |
        |---|---|
        | 0 | Success |
        | 1001 | Invalid signature (timestamp, nonce, sign key) |
        | 1002 | App not found |
        | 1003 | App disabled |
        | 1004 | Missing auth header |
        | 1005 | Invalid API key |
        | 2001 | Insufficient credit |
        | 2002 | Duplicate order |
        | 2003 | Goods or SKU unavailable |
        | 2004 | Order cannot change from its status |
        | 3001 | User not found |
        | 3002 | Invalid credentials |
        | 3003 | User disabled |
        | 3004 | Captcha required or wrong |
        | 4000 | Invalid request (see data.errors) |
        | 4001 | Unauthorized |
        | 4002 | Forbidden |
        | 4004 | Not found |
        | 4005 | Conflict |
        | 4013 | Body too large |
        | 4015 | Unsupported media type |
        | 4029 | Too many requests |
        | 5001 | Internal error |
        """;

    public ApiDocsScreen(IApplication app, IConsoleClient client) : base(app, client, "API Docs")
    {
        // Plain lines in a list: arrows and PgUp/PgDn scroll, and nothing in the text is taken for markup. Lines are
        // wrapped to the width the screen has at sign-in (the screen list takes 16 columns).
        var width = Math.Max(60, app.Screen.Width - 18);
        var text = Render(Text_.Replace("BASE", client.ApiBase.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        var lines = new System.Collections.ObjectModel.ObservableCollection<string>(Wrap(text, width));
        Add(new ListView { TabStop = TabBehavior.TabStop, X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = true, Source = new ListWrapper<string>(lines) });
    }

    /// <summary>
    /// The documentation as plain text for the terminal: headings underlined, tables in aligned columns, code marks
    /// dropped; path parameters such as <c>{order_no}</c> kept as written.
    /// </summary>
    public static string Render(string markdown)
    {
        var output = new System.Text.StringBuilder();
        var lines = markdown.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('|'))
            {
                var table = new List<string[]>();
                for (; i < lines.Length && lines[i].StartsWith('|'); i++)
                {
                    var cells = lines[i].Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray();
                    if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'))) continue;
                    table.Add(cells);
                }
                i--;
                var widths = Enumerable.Range(0, table.Max(r => r.Length)).Select(c => table.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
                foreach (var row in table)
                    output.AppendLine(string.Join("  ", row.Select((c, k) => k == row.Length - 1 ? c : c.PadRight(widths[k]))).TrimEnd());
                continue;
            }
            var text = line.Replace("`", "", StringComparison.Ordinal);
            // A line of running text that follows another joins it: the wrap, not the source, breaks paragraphs.
            var running = text.Length > 0 && !text.StartsWith('#') && !text.StartsWith("- ", StringComparison.Ordinal) && !text.StartsWith("  ", StringComparison.Ordinal);
            if (running && i > 0 && lines[i - 1].Trim().Length > 0 && !lines[i - 1].StartsWith('#') && !lines[i - 1].StartsWith('|') && !lines[i - 1].StartsWith("    ", StringComparison.Ordinal))
            {
                output.Length -= Environment.NewLine.Length;
                output.Append(' ').AppendLine(text);
            }
            else if (text.StartsWith("## ", StringComparison.Ordinal)) output.AppendLine(text[3..]).AppendLine(new string('─', text.Length - 3));
            else if (text.StartsWith("# ", StringComparison.Ordinal)) output.AppendLine(text[2..].ToUpperInvariant()).AppendLine(new string('═', text.Length - 2));
            else if (text.StartsWith("- ", StringComparison.Ordinal)) output.Append("• ").AppendLine(text[2..]);
            else output.AppendLine(text);
        }
        return output.ToString();
    }

    public override string Keys => "Arrows and PgUp/PgDn scroll the documentation";

    /// <summary>Each line cut at spaces to at most <paramref name="width"/> columns; a cut line goes on indented.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        foreach (var raw in text.TrimEnd().Split('\n'))
        {
            var line = raw.TrimEnd();
            var indent = "";
            while (line.Length > width)
            {
                var cut = line.LastIndexOf(' ', width);
                if (cut <= indent.Length) cut = width;
                yield return line[..cut].TrimEnd();
                indent = "    ";
                line = indent + line[cut..].TrimStart();
            }
            yield return line;
        }
    }

    public override void Refresh() { }
}
