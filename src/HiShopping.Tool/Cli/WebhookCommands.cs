using System.CommandLine;
using System.Globalization;
using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Store;
using HiShopping.Store.Webhooks;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop webhook list|retry</c>: the operator sees where events stand and sends one again.</summary>
public static class WebhookCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var webhook = new Command("webhook", "See webhook deliveries and send an event again");

        var merchant = new Option<string?>("--merchant") { Description = "Only this merchant's events (email or id)" };
        var status = new Option<string?>("--status") { Description = "Only events in this status" };
        status.AcceptOnlyFromAmong(DeliveryStatuses.All);
        var size = new Option<int>("--page-size") { Description = "Events per page, 1–100", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string?>("--cursor") { Description = "Start after this event (the next cursor a previous page printed)" };
        var list = new Command("list", "List events, newest first, with their delivery status") { merchant, status, size, cursor, Output.Json };
        HishopCli.Handle(list, env, c =>
        {
            long? merchantId = c.Value(merchant) is { } m ? c.Merchants.Resolve(m).Id : null;
            var page = c.Get<IWebhookService>().List(new DeliveryQuery { MerchantId = merchantId, Status = c.Value(status), PageSize = c.Value(size), Cursor = c.Value(cursor) });
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, PageResponse<WebhookDeliveryResponse>.From(page, WebhookDeliveryResponse.From));
                return HishopCli.Ok;
            }
            Output.Table(c.Out, ["EVENT ID", "MERCHANT", "TYPE", "STATUS", "ATTEMPTS", "LAST", "NEXT ATTEMPT", "CREATED"],
                page.Items.Select(d => new[]
                {
                    d.EventId, d.MerchantId.ToString(CultureInfo.InvariantCulture), d.Type, d.Status, d.Attempts.ToString(CultureInfo.InvariantCulture),
                    d.LastStatusCode?.ToString(CultureInfo.InvariantCulture) ?? d.LastError ?? "-", Times.Iso(d.NextAttemptAt) ?? "-", Times.Iso(d.CreatedAt),
                }));
            c.Out.WriteLine(Output.ListFooter(page, "events"));
            return HishopCli.Ok;
        });

        var eventId = new Option<string>("--event-id") { Description = "The event (evt_…)", Required = true };
        var retry = new Command("retry", "Make a pending or failed event due again now (same id, same body)") { eventId };
        HishopCli.Handle(retry, env, c =>
        {
            var d = c.Get<IWebhookService>().Retry(c.Value(eventId));
            c.Out.WriteLine($"event {d.EventId} ({d.Type}) is due again: serve sends it next (after any earlier pending event of the merchant)");
            return HishopCli.Ok;
        });

        webhook.Subcommands.Add(list);
        webhook.Subcommands.Add(retry);
        return webhook;
    }
}
