using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HiShopping.Api.Auth;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tui.Client;

/// <summary>The console over the Web API: the same screens, data from a running <c>hishop serve</c> with the JWT.</summary>
public sealed class RemoteConsoleClient : IConsoleClient
{
    private readonly HttpClient _http;
    private string? _token;

    public RemoteConsoleClient(Uri server, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/api/v1/web/");
        _http.Timeout = TimeSpan.FromSeconds(30);
    }

    public string Describe => $"remote · {_http.BaseAddress!.GetLeftPart(UriPartial.Authority)}";

    public ConsoleSession? Session { get; private set; }

    public IOperatorConsole? Operator => null;

    public async Task<ConsoleSession> LoginAsync(string email, string password, string? captchaId = null, string? captchaAnswer = null)
    {
        var data = await SendAsync(HttpMethod.Post, "login", new { email, password, captcha_id = captchaId, captcha_code = captchaAnswer });
        SetToken(data.GetProperty("token").GetString()!);
        var user = data.GetProperty("user");
        Session = new ConsoleSession(user.GetProperty("id").GetInt64(), user.GetProperty("email").GetString()!,
            user.GetProperty("role").GetString()!, user.GetProperty("has_merchant").GetBoolean());
        return Session;
    }

    public async Task<CaptchaChallenge> CaptchaAsync()
    {
        var data = await SendAsync(HttpMethod.Get, "captcha");
        var uri = data.GetProperty("image").GetString()!;
        var png = Convert.FromBase64String(uri[(uri.IndexOf(',') + 1)..]);
        return new CaptchaChallenge(data.GetProperty("captcha_id").GetString()!, BlockPicture.FromPng(png, Screens.LoginScreen.CaptchaColumns));
    }

    public async Task LogoutAsync()
    {
        if (_token is not null)
        {
            try { await SendAsync(HttpMethod.Post, "logout"); }
            catch (HiShopException) { /* the token is gone either way */ }
        }
        _token = null;
        Session = null;
    }

    public async Task ChangePasswordAsync(string oldPassword, string newPassword)
    {
        var data = await SendAsync(HttpMethod.Put, "password", new { old_password = oldPassword, new_password = newPassword });
        SetToken(data.GetProperty("token").GetString()!);
    }

    public async Task<Merchant?> MerchantAsync()
    {
        try { return ToMerchant(await SendAsync(HttpMethod.Get, "merchant")); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
    }

    public async Task<Merchant> SaveMerchantAsync(MerchantProfileInput input, bool create)
    {
        var body = new
        {
            company_name = input.CompanyName, contact_name = input.ContactName, contact_phone = input.ContactPhone,
            contact_email = input.ContactEmail, country = input.Country, address = input.Address, website = input.Website,
            bank_account = new { bank_name = input.BankName, account_name = input.BankAccountName, account_number = input.BankAccountNumber, swift_code = input.BankSwift },
        };
        var saved = ToMerchant(await SendAsync(create ? HttpMethod.Post : HttpMethod.Put, "merchant", body));
        if (create && Session is { } s) Session = s with { HasMerchant = true };
        return saved;
    }

    public async Task<CreditSummary> CreditAsync()
    {
        var d = await SendAsync(HttpMethod.Get, "credit");
        return new CreditSummary
        {
            Balance = M(d, "balance"), CreditLimit = M(d, "credit_limit"), TotalCredited = M(d, "total_credited"),
            TotalConsumed = M(d, "total_consumed"), TotalRefunded = M(d, "total_refunded"),
            Currency = S(d, "currency")!, Status = S(d, "status")!,
            Last30Days = d.GetProperty("last_30_days").EnumerateArray()
                .Select(x => new DailyCredit(S(x, "date")!, M(x, "credited"), M(x, "spent"), M(x, "refunded"))).ToList(),
        };
    }

    public async Task<PageOf<LedgerEntry>> TransactionsAsync(TransactionQuery query)
    {
        var q = Query(("page", query.Page.ToString(CultureInfo.InvariantCulture)), ("page_size", query.PageSize.ToString(CultureInfo.InvariantCulture)),
            ("type", query.Type), ("from", query.From?.ToString(CultureInfo.InvariantCulture)), ("to", query.To?.ToString(CultureInfo.InvariantCulture)));
        return Page(await SendAsync(HttpMethod.Get, "credit/transactions" + q), e => new LedgerEntry
        {
            ReferenceNo = S(e, "reference_no")!, Type = S(e, "type")!, Amount = M(e, "amount"), BalanceBefore = M(e, "balance_before"),
            BalanceAfter = M(e, "balance_after"), OrderNo = S(e, "order_no"), Memo = S(e, "memo"), CreatedAt = T(e, "created_at"),
        });
    }

    public async Task<MerchantApp> AppAsync()
    {
        var app = await SendAsync(HttpMethod.Get, "app");
        var key = await SendAsync(HttpMethod.Get, "apikey");
        var masked = S(key, "api_key");
        return new MerchantApp
        {
            AppId = S(app, "app_id")!, Name = S(app, "name")!, Status = S(app, "status")!, NotifyUrl = S(app, "notify_url"),
            IpWhitelistJson = app.GetProperty("ip_whitelist").GetRawText(),
            ApiKeyPrefix = masked is null ? null : masked[..masked.IndexOf('…')], ApiKeyLast4 = masked?[^4..],
            ApiKeyCreatedAt = key.GetProperty("created_at").ValueKind == JsonValueKind.Null ? null : T(key, "created_at"),
            ApiKeyLastUsedAt = key.GetProperty("last_used_at").ValueKind == JsonValueKind.Null ? null : T(key, "last_used_at"),
            SignKeySet = app.GetProperty("sign_key_set").GetBoolean(),
            SignKeyCreatedAt = app.GetProperty("sign_key_created_at").ValueKind == JsonValueKind.Null ? null : T(app, "sign_key_created_at"),
            CreatedAt = T(app, "created_at"), MerchantStatus = "active", UserStatus = "active",
        };
    }

    public async Task<IssuedKey> RegenerateApiKeyAsync()
    {
        var d = await SendAsync(HttpMethod.Post, "apikey");
        return new IssuedKey(S(d, "api_key")!, T(d, "created_at"));
    }

    public async Task<IssuedKey> RegenerateSignKeyAsync()
    {
        var d = await SendAsync(HttpMethod.Put, "app/cert");
        return new IssuedKey(S(d, "sign_key")!, T(d, "created_at"));
    }

    public async Task<IReadOnlyList<CategoryNode>> CategoriesAsync()
    {
        var d = await SendAsync(HttpMethod.Get, "goods/categories");
        static CategoryNode Node(JsonElement c) => new()
        {
            CategoryId = S(c, "category_id")!, Name = S(c, "name")!, ParentId = S(c, "parent_id"), GoodsCount = c.GetProperty("goods_count").GetInt64(),
            Children = c.GetProperty("children").EnumerateArray().Select(Node).ToList(),
        };
        return d.EnumerateArray().Select(Node).ToList();
    }

    public async Task<PageOf<GoodsSummary>> GoodsAsync(GoodsQuery query)
    {
        var q = Query(("page", query.Page.ToString(CultureInfo.InvariantCulture)), ("page_size", query.PageSize.ToString(CultureInfo.InvariantCulture)),
            ("category_id", query.CategoryId), ("keyword", query.Keyword), ("sort", query.Sort),
            ("min_price", query.MinPrice is { } min ? Money.Format(min) : null), ("max_price", query.MaxPrice is { } max ? Money.Format(max) : null));
        return Page(await SendAsync(HttpMethod.Get, "goods" + q), g => new GoodsSummary
        {
            GoodsId = S(g, "goods_id")!, Title = S(g, "title")!, CategoryId = S(g, "category_id")!, ThumbUrl = S(g, "thumb_url"),
            MinPrice = M(g, "min_price"), MaxPrice = M(g, "max_price"), SkuCount = g.GetProperty("sku_count").GetInt64(), InStock = g.GetProperty("in_stock").GetBoolean(),
        });
    }

    public async Task<GoodsDetail?> GoodsDetailAsync(string goodsId)
    {
        JsonElement d;
        try { d = await SendAsync(HttpMethod.Get, "goods/detail/" + Uri.EscapeDataString(goodsId)); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
        return new GoodsDetail
        {
            GoodsId = S(d, "goods_id")!, Title = S(d, "title")!, Description = S(d, "description")!, CategoryId = S(d, "category_id")!,
            CategoryPath = d.GetProperty("category_path").EnumerateArray().Select(c => new CategoryRef(S(c, "category_id")!, S(c, "name")!)).ToList(),
            ImagesJson = d.GetProperty("images").GetRawText(), AttributesJson = d.GetProperty("attributes").GetRawText(), Status = "active",
            Skus = d.GetProperty("skus").EnumerateArray().Select(s => new Sku
            {
                SkuId = S(s, "sku_id")!, GoodsId = goodsId, SpecJson = s.GetProperty("spec").GetRawText(), Price = M(s, "price"),
                Stock = s.GetProperty("stock").GetInt64(), Image = S(s, "image"), Status = "active",
            }).ToList(),
            MinPrice = M(d, "min_price"), MaxPrice = M(d, "max_price"), UpdatedAt = T(d, "updated_at"),
        };
    }

    public async Task<PageOf<OrderSummary>> OrdersAsync(OrderQuery query)
    {
        var q = Query(("page", query.Page.ToString(CultureInfo.InvariantCulture)), ("page_size", query.PageSize.ToString(CultureInfo.InvariantCulture)),
            ("status", query.Status), ("keyword", query.Keyword));
        return Page(await SendAsync(HttpMethod.Get, "orders" + q), OrderSummary);
    }

    public async Task<OrderDetail?> OrderAsync(string orderNo)
    {
        JsonElement d;
        try { d = await SendAsync(HttpMethod.Get, "orders/" + Uri.EscapeDataString(orderNo)); }
        catch (HiShopException e) when (e.Code == ErrorCode.NotFound) { return null; }
        var tracking = d.GetProperty("tracking");
        return new OrderDetail
        {
            Order = OrderSummary(d),
            Items = d.GetProperty("items").EnumerateArray().Select(i => new OrderItem
            {
                SkuId = S(i, "sku_id")!, GoodsId = S(i, "goods_id")!, Title = S(i, "title")!, SpecJson = i.GetProperty("spec").GetRawText(),
                UnitPrice = M(i, "unit_price"), Quantity = i.GetProperty("quantity").GetInt64(), Amount = M(i, "amount"),
            }).ToList(),
            Shipping = d.GetProperty("shipping").Deserialize<ShippingAddress>(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!,
            Remark = S(d, "remark"),
            Carrier = tracking.ValueKind == JsonValueKind.Null ? null : S(tracking, "carrier"),
            TrackingNo = tracking.ValueKind == JsonValueKind.Null ? null : S(tracking, "tracking_no"),
            History = d.GetProperty("history").EnumerateArray().Select(h => new OrderHistoryEntry { Status = S(h, "status")!, Note = S(h, "note"), At = T(h, "at") }).ToList(),
            LedgerEntries = d.GetProperty("ledger_references").EnumerateArray().Select(l => new LedgerEntry
            {
                ReferenceNo = S(l, "reference_no")!, Type = S(l, "type")!, Amount = M(l, "amount"),
            }).ToList(),
        };
    }

    public void Dispose() => _http.Dispose();

    // ---- plumbing --------------------------------------------------------------------------------------------

    private void SetToken(string token)
    {
        _token = token;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Sends, reads the envelope, and turns any code but 0 into a <see cref="HiShopException"/>.</summary>
    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            throw new HiShopException(ErrorCode.InternalError, $"Cannot reach the server at {_http.BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new HiShopException(ErrorCode.InternalError, $"The server at {_http.BaseAddress} did not answer in time.");
        }
        using (response)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            }
            catch (JsonException)
            {
                throw new HiShopException(ErrorCode.InternalError, $"The server answered {(int)response.StatusCode} without the HiShopping envelope.");
            }
            using (document)
            {
                var root = document.RootElement;
                var code = root.GetProperty("code").GetInt32();
                if (code != 0)
                    throw new HiShopException((ErrorCode)code, root.GetProperty("message").GetString() ?? "Request failed.", root.GetProperty("data").Clone());
                return root.GetProperty("data").Clone();
            }
        }
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static PageOf<T> Page<T>(JsonElement d, Func<JsonElement, T> map) =>
        new(d.GetProperty("items").EnumerateArray().Select(map).ToList(), d.GetProperty("page").GetInt32(), d.GetProperty("page_size").GetInt32(), d.GetProperty("total").GetInt64());

    private static OrderSummary OrderSummary(JsonElement o) => new()
    {
        OrderNo = S(o, "order_no")!, MerchantOrderNo = S(o, "merchant_order_no")!, Status = S(o, "status")!, GoodsAmount = M(o, "goods_amount"),
        Fee = M(o, "fee"), TotalAmount = M(o, "total_amount"), Currency = S(o, "currency")!, ItemCount = o.GetProperty("item_count").GetInt64(),
        CreatedAt = T(o, "created_at"), UpdatedAt = T(o, "updated_at"),
    };

    private static Merchant ToMerchant(JsonElement m)
    {
        var bank = m.GetProperty("bank_account");
        var masked = S(bank, "account_number");
        return new Merchant
        {
            Id = m.GetProperty("merchant_id").GetInt64(), Email = S(m, "email")!, CompanyName = S(m, "company_name")!,
            ContactName = S(m, "contact_name"), ContactPhone = S(m, "contact_phone"), ContactEmail = S(m, "contact_email"),
            Country = S(m, "country"), Address = S(m, "address"), Website = S(m, "website"), BankName = S(bank, "bank_name"),
            BankAccountName = S(bank, "account_name"), BankAccountLast4 = masked?.TrimStart('*'), BankSwift = S(bank, "swift_code"),
            FeeRateBps = m.GetProperty("fee_rate_bps").GetInt64(), Status = S(m, "status")!, UserStatus = "active",
            CreatedAt = T(m, "created_at"), UpdatedAt = T(m, "updated_at"),
        };
    }

    private static string? S(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long M(JsonElement e, string name) => Money.TryParse(S(e, name), out var minor, allowNegative: true) ? minor : 0;

    private static long T(JsonElement e, string name) =>
        S(e, name) is { } iso ? DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() : 0;
}

/// <summary>Turns a greyscale PNG into rows of half-block characters a terminal can show.</summary>
public static class BlockPicture
{
    public static IReadOnlyList<string> FromPng(byte[] png, int columns)
    {
        var pixels = Png.DecodeGrey(png) ?? throw new HiShopException(ErrorCode.InternalError, "The captcha image could not be read.");
        int height = pixels.GetLength(0), width = pixels.GetLength(1);
        var scale = (double)width / columns;
        var rows = (int)Math.Ceiling(height / scale / 2);
        var lines = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var line = new StringBuilder(columns);
            for (var c = 0; c < columns; c++)
            {
                var top = Dark(pixels, c * scale, r * 2 * scale, scale);
                var bottom = Dark(pixels, c * scale, (r * 2 + 1) * scale, scale);
                line.Append((top, bottom) switch { (true, true) => '█', (true, false) => '▀', (false, true) => '▄', _ => ' ' });
            }
            lines.Add(line.ToString().TrimEnd());
        }
        return lines;
    }

    private static bool Dark(byte[,] pixels, double x0, double y0, double size)
    {
        int height = pixels.GetLength(0), width = pixels.GetLength(1);
        long sum = 0, count = 0;
        for (var y = (int)y0; y < Math.Min(height, (int)(y0 + size)); y++)
            for (var x = (int)x0; x < Math.Min(width, (int)(x0 + size)); x++)
            {
                sum += pixels[y, x];
                count++;
            }
        return count > 0 && sum / count < 150;
    }
}
