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
        - Web API: `http://127.0.0.1:5080/api/v1/web` (also `/api/v1/web/web/...`)
        - Open API: `http://127.0.0.1:5080/api/v1/open`

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
        | GET | /credit, /credit/transactions | Credit info, transactions |

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
        var docs = new Markdown { TabStop = TabBehavior.TabStop, X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), Text = Text_, CanFocus = true };
        Add(docs);
    }

    public override string Keys => "Arrows and PgUp/PgDn scroll the documentation";

    public override void Refresh() { }
}
