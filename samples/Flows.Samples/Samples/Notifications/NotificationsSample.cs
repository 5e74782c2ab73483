using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.Notifications;

/// <summary>Sends one alert on a normal day (one channel down) and on a bad day (three down).</summary>
internal static class NotificationsSample
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var alert = new Alert("checkout-api", "p99 latency above 2 s for 5 minutes");

        output.WriteLine($"Alert \"{alert.Service}: {alert.Message}\" on 4 channels, at least 2 must deliver.");
        output.WriteLine();

        output.WriteLine("Normal day: the SMS gateway is over its quota.");
        var normalDay = new NotifyWorkflow(
            email: new SimulatedChannel("mail", 140),
            sms: new SimulatedChannel("sms", 60, failure: "SMS gateway: monthly quota exceeded"),
            push: new SimulatedChannel("push", 90),
            chat: new SimulatedChannel("chat", 110));
        await SendAsync(output, normalDay, alert, cancellationToken);

        output.WriteLine("Bad day: mail, SMS and chat are all down.");
        var badDay = new NotifyWorkflow(
            email: new SimulatedChannel("mail", 140, failure: "SMTP: 421 service not available"),
            sms: new SimulatedChannel("sms", 60, failure: "SMS gateway: monthly quota exceeded"),
            push: new SimulatedChannel("push", 90),
            chat: new SimulatedChannel("chat", 110, failure: "chat webhook: 404 not found"));
        await SendAsync(output, badDay, alert, cancellationToken);
    }

    private static async Task SendAsync(TextWriter output, NotifyWorkflow workflow, Alert alert, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var report = await workflow.RunAsync(alert, cancellationToken);
            foreach (var delivery in report.Channels)
            {
                var line = delivery.MessageId is { } id ? $"delivered, id {id}" : $"failed: {delivery.Error}";
                output.WriteLine($"  {delivery.Channel,-6} {line}");
            }

            output.WriteLine($"  => delivered on {report.Delivered} of 4 channels in {Formatting.Milliseconds(stopwatch.Elapsed)}; the alert counts as sent.");
        }
        catch (AggregateException tooFew)
        {
            // Fewer than MinSuccessCount members succeeded: the message says how many, the inner exceptions why.
            // (AggregateException.Message also appends each inner message in parentheses; they are listed below.)
            var summary = tooFew.Message;
            var innerMessages = summary.IndexOf(". (", StringComparison.Ordinal);
            summary = innerMessages < 0 ? summary : summary[..(innerMessages + 1)];
            output.WriteLine($"  => run failed after {Formatting.Milliseconds(stopwatch.Elapsed)}: {summary}");
            foreach (var failure in tooFew.InnerExceptions)
            {
                output.WriteLine($"     - {failure.Message}");
            }

            output.WriteLine("  (a real service would now page a human another way)");
        }

        output.WriteLine();
    }
}
