using HiShopping.Api.Hosting;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HiShopping.Api.Http;

/// <summary>
/// First in the pipeline: gives every request an id, sets the security headers, refuses oversized bodies, and
/// turns every failure — ours or the framework's (404, 405, 415, 500 …) — into the SPEC §2 envelope.
/// </summary>
public sealed class ApiMiddleware(RequestDelegate next, ILogger<ApiMiddleware> logger, ServeReadiness readiness)
{
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Request headers, names and values together, at most (Kestrel's own default).</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Ulid.NewUlid().ToString();
        context.Items[Envelope.RequestIdItem] = requestId;
        var headers = context.Response.Headers;
        headers["X-Request-Id"] = requestId;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";

        if (!readiness.IsReady)
        {
            headers.RetryAfter = "1";
            await Envelope.WriteAsync(context, ErrorCode.InternalError, "The server is starting; try again in a moment.", null, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        if (HeaderProblem(context.Request.Headers) is { } problem)
        {
            await Envelope.WriteAsync(context, ErrorCode.InvalidRequest, problem.Message, null, problem.Status);
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Envelope.WriteAsync(context, ErrorCode.BodyTooLarge, "The request body is larger than 1 MiB.", null);
            return;
        }

        try
        {
            await next(context);
        }
        catch (HiShopException e) when (!context.Response.HasStarted)
        {
            if (e.Code == ErrorCode.TooManyRequests && e.Payload is RetryAfter retry)
                context.Response.Headers.RetryAfter = retry.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Envelope.WriteAsync(context, e.Code, Hint(e), e.Payload is RetryAfter ? null : e.Payload);
            return;
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                await Envelope.WriteAsync(context, ErrorCode.BodyTooLarge, "The request body is larger than 1 MiB.", null);
            else
                await Envelope.WriteAsync(context, ErrorCode.InvalidRequest, "The request could not be read.", null, e.StatusCode);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}; request_id {RequestId}", context.Request.Method, context.Request.Path, requestId);
            context.Response.Clear();
            context.Response.Headers["X-Request-Id"] = requestId;
            await Envelope.WriteAsync(context, ErrorCode.InternalError, "Internal error; quote the request_id when reporting it.", null);
            return;
        }

        // The framework answered on its own (no route, wrong method, wrong media type …) and wrote no body.
        var status = context.Response.StatusCode;
        if (status >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null or 0)
        {
            var (code, message) = status switch
            {
                401 => (ErrorCode.Unauthorized, "Unauthorized."),
                403 => (ErrorCode.Forbidden, "Forbidden."),
                404 => (ErrorCode.NotFound, "Not found."),
                405 => (ErrorCode.InvalidRequest, $"Method {context.Request.Method} is not allowed here."),
                413 => (ErrorCode.BodyTooLarge, "The request body is larger than 1 MiB."),
                415 => (ErrorCode.UnsupportedMediaType, "Unsupported media type: send application/json."),
                429 => (ErrorCode.TooManyRequests, "Too many requests."),
                >= 500 => (ErrorCode.InternalError, "Internal error; quote the request_id when reporting it."),
                _ => (ErrorCode.InvalidRequest, "Invalid request."),
            };
            await Envelope.WriteAsync(context, code, message, null, status);
        }
    }

    /// <summary>The store speaks of the product; over HTTP a missing profile also says which request makes one.</summary>
    private static string Hint(HiShopException e) =>
        e.Code == ErrorCode.NotFound && e.Message == Store.Services.MerchantService.NoProfileMessage
            ? "No merchant profile yet: create it with POST /api/v1/web/merchant."
            : e.Message;

    /// <summary>Headers larger than 32 KiB together (431), or with a value that is not printable ASCII (400).</summary>
    private static (int Status, string Message)? HeaderProblem(IHeaderDictionary headers)
    {
        var total = 0;
        foreach (var (name, values) in headers)
        {
            total += name.Length + 4;
            foreach (var value in values)
            {
                if (value is null) continue;
                total += value.Length;
                foreach (var ch in value)
                    if (ch is > '~' or (< ' ' and not '\t'))
                        return (StatusCodes.Status400BadRequest, $"The {name} header holds characters other than printable ASCII.");
            }
        }
        return total > MaxHeaderBytes
            ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The request headers are larger than {MaxHeaderBytes / 1024} KiB.")
            : null;
    }
}
