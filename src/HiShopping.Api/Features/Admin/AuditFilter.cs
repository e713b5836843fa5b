using HiShopping.Api.Auth;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HiShopping.Api.Features.Admin;

/// <summary>The audit log's name for what an Operator API route does (<c>user.unlock</c>).</summary>
public sealed record AuditAction(string Name);

/// <summary>
/// Records every change made through the Operator API, once it has succeeded: the operator's id, the route's
/// <see cref="AuditAction"/> and what it acted on (<c>user 12</c>, <c>merchant 3</c>, <c>order HS…</c>, from the route,
/// or what the handler names with <see cref="Target"/>). A request that fails changes nothing and records nothing.
/// A route that changes something but names no action is a programming error, refused at its first call.
/// The entry is written after the change's own commit: a crash between the two can lose the entry, never the change
/// (money moves carry the operator on their ledger entry, in the same commit). So a failed entry is logged, and the
/// answer is still the change's success: an error there would have the operator retry a top-up that went through.
/// </summary>
public sealed class AuditFilter(ILogger<AuditFilter> log) : IEndpointFilter
{
    private const string TargetKey = "hishop.audit.target";

    /// <summary>Names what the request acted on when the route does not (a user just created).</summary>
    public static void Target(HttpContext context, string target) => context.Items[TargetKey] = target;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var action = context.GetEndpoint()?.Metadata.GetMetadata<AuditAction>();
        if (action is null && !HttpMethods.IsGet(context.Request.Method))
            throw new InvalidOperationException($"{context.Request.Method} {context.Request.Path} changes something but has no AuditAction.");
        var result = await next(invocation);
        if (action is not null)
        {
            var target = context.Items[TargetKey] as string ?? RouteTarget(context);
            try
            {
                context.RequestServices.GetRequiredService<IAuditLog>().Record(CurrentUser.Id(context), action.Name, target);
            }
            catch (Exception e)
            {
                log.LogError(e, "audit: {Action} on {Target} by operator {Operator} succeeded but could not be recorded", action.Name, target, CurrentUser.Id(context));
            }
        }
        return result;
    }

    private static string RouteTarget(HttpContext context)
    {
        var values = context.Request.RouteValues;
        // Ids as the handlers read them (0012 is user 12), so that the log names the row acted on.
        static string Id(object? raw) => long.TryParse(raw as string, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{raw}";
        if (values.TryGetValue("user_id", out var user)) return $"user {Id(user)}";
        if (values.TryGetValue("merchant_id", out var merchant)) return $"merchant {Id(merchant)}";
        if (values.TryGetValue("order_no", out var order)) return $"order {order}";
        return "";
    }
}

public static class AuditExtensions
{
    /// <summary>Marks an Operator API route as a change, recorded under <paramref name="action"/>.</summary>
    public static RouteHandlerBuilder Audit(this RouteHandlerBuilder builder, string action) => builder.WithMetadata(new AuditAction(action));
}
