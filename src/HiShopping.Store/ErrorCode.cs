namespace HiShopping.Store;

/// <summary>The error codes of SPEC §2. The Store raises them; the API maps them to HTTP statuses, the CLI to messages.</summary>
public enum ErrorCode
{
    Success = 0,
    InvalidSignature = 1001,
    AppNotFound = 1002,
    AppDisabled = 1003,
    MissingAuthHeader = 1004,
    InvalidApiKey = 1005,
    InsufficientCredit = 2001,
    DuplicateOrder = 2002,
    GoodsUnavailable = 2003,
    OrderStatusConflict = 2004,
    UserNotFound = 3001,
    InvalidCredentials = 3002,
    UserDisabled = 3003,
    CaptchaRequired = 3004,
    InvalidRequest = 4000,
    Unauthorized = 4001,
    Forbidden = 4002,
    NotFound = 4004,
    Conflict = 4005,
    BodyTooLarge = 4013,
    UnsupportedMediaType = 4015,
    TooManyRequests = 4029,
    InternalError = 5001,
}

/// <summary>The payload of a 4029: how many seconds the caller must wait (the API sends it as <c>Retry-After</c>).</summary>
public sealed record RetryAfter(int Seconds)
{
    public static RetryAfter From(TimeSpan wait) => new(Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
}

/// <summary>The <c>data</c> of a 4000: each field and its messages.</summary>
public sealed record FieldErrors(IReadOnlyDictionary<string, string[]> Errors);

/// <summary>The <c>data</c> of a 2002 or 2004: the order named, and its status.</summary>
public sealed record OrderRef(string OrderNo, string Status);

/// <summary>The <c>data</c> of a 2003: the SKU that cannot be had, and its stock when it exists.</summary>
public sealed record SkuUnavailable(string SkuId, long? Stock);

/// <summary>A data directory or database that cannot be used as it is (a missing key, a key of another store …).</summary>
public sealed class StoreSetupException(string message) : InvalidOperationException(message);

/// <summary>A failure the caller can act on: it carries a SPEC code, a message fit to show, and optional data.</summary>
public sealed class HiShopException(ErrorCode code, string message, object? data = null) : Exception(message)
{
    public ErrorCode Code { get; } = code;

    public object? Payload { get; } = data;

    /// <summary>The one field a 4000 is about, when it is about one.</summary>
    public string? Field { get; private init; }

    public static HiShopException Invalid(string field, string message) =>
        new(ErrorCode.InvalidRequest, message, new FieldErrors(new Dictionary<string, string[]> { [field] = [message] })) { Field = field };

    public static HiShopException Invalid(IDictionary<string, List<string>> errors) =>
        new(ErrorCode.InvalidRequest, errors.Count == 1 ? errors.First().Value[0] : "The request has invalid fields.",
            new FieldErrors(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))) { Field = errors.Count == 1 ? errors.First().Key : null };
}
