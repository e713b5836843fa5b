using System.Reflection;
using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace HiShopping.Api.Http;

/// <summary>
/// A successful answer: <typeparamref name="T"/> in the envelope, code 0, written with the source-generated
/// context. Its type says what the endpoint produces (for the OpenAPI document), so handlers never return <c>object</c>.
/// </summary>
public sealed class ApiResult<T>(T data) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<Envelope<T>>
{
    public T Data { get; } = data;

    public int? StatusCode => StatusCodes.Status200OK;

    public Envelope<T>? Value => null;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Envelope.ContentType;
        var body = new Envelope<T>((int)ErrorCode.Success, "success", Data, Envelope.RequestId(httpContext));
        return JsonSerializer.SerializeAsync(response.Body, body, ApiJsonContext.Info<Envelope<T>>(), httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Envelope<T>), ["application/json"]));
}
