using System.Buffers;
using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Http;

/// <summary>The envelope of SPEC §2 around every response: <c>{code, message, data, request_id}</c>.</summary>
public static class Envelope
{
    public const string RequestIdItem = "hishop.request_id";
    public const string ContentType = "application/json; charset=utf-8";

    public static ApiResult<T> Ok<T>(T data) => new(data);

    public static string RequestId(HttpContext context) =>
        context.Items.TryGetValue(RequestIdItem, out var id) && id is string s ? s : context.TraceIdentifier;

    public static int HttpStatus(ErrorCode code) => code switch
    {
        ErrorCode.Success => 200,
        ErrorCode.InvalidSignature or ErrorCode.AppNotFound or ErrorCode.MissingAuthHeader or ErrorCode.InvalidApiKey => 401,
        ErrorCode.AppDisabled => 403,
        ErrorCode.InsufficientCredit => 402,
        ErrorCode.DuplicateOrder or ErrorCode.OrderStatusConflict => 409,
        ErrorCode.GoodsUnavailable => 422,
        ErrorCode.UserNotFound => 404,
        ErrorCode.InvalidCredentials => 401,
        ErrorCode.UserDisabled => 403,
        ErrorCode.CaptchaRequired => 400,
        ErrorCode.InvalidRequest => 400,
        ErrorCode.Unauthorized => 401,
        ErrorCode.Forbidden => 403,
        ErrorCode.NotFound => 404,
        ErrorCode.Conflict => 409,
        ErrorCode.BodyTooLarge => 413,
        ErrorCode.UnsupportedMediaType => 415,
        ErrorCode.TooManyRequests => 429,
        _ => 500,
    };

    /// <summary>Writes an error envelope; <paramref name="data"/> is one of the error data records of the context.</summary>
    public static async Task WriteAsync(HttpContext context, ErrorCode code, string message, object? data, int? httpStatus = null)
    {
        var response = context.Response;
        response.StatusCode = httpStatus ?? HttpStatus(code);
        response.ContentType = ContentType;
        // Written to memory first: JsonSerializer flushes its writer synchronously, and Kestrel allows only async writes.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ApiJsonContext.Wire.Options.Encoder }))
        {
            json.WriteStartObject();
            json.WriteNumber("code", (int)code);
            json.WriteString("message", message);
            json.WritePropertyName("data");
            if (data is null) json.WriteNullValue();
            else JsonSerializer.Serialize(json, data, ApiJsonContext.Wire.GetTypeInfo(data.GetType())
                ?? throw new InvalidOperationException($"{data.GetType()} is not in ApiJsonContext."));
            json.WriteString("request_id", RequestId(context));
            json.WriteEndObject();
        }
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
