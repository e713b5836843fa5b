using System.Text.Json;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;

namespace HiShopping.Api.Http;

/// <summary>The envelope of SPEC §2 around every response: <c>{code, message, data, request_id}</c>.</summary>
public static class Envelope
{
    public const string RequestIdItem = "hishop.request_id";

    public static IResult Ok(object? data) => new EnvelopeResult(ErrorCode.Success, "success", data);

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

    public static Task WriteAsync(HttpContext context, ErrorCode code, string message, object? data, int? httpStatus = null)
    {
        var response = context.Response;
        response.StatusCode = httpStatus ?? HttpStatus(code);
        response.ContentType = "application/json; charset=utf-8";
        var body = new EnvelopeBody((int)code, message, data, RequestId(context));
        return JsonSerializer.SerializeAsync(response.Body, body, ApiJson.Options, context.RequestAborted);
    }

    private sealed record EnvelopeBody(int Code, string Message, object? Data, string RequestId);

    private sealed class EnvelopeResult(ErrorCode code, string message, object? data) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, code, message, data);
    }
}
