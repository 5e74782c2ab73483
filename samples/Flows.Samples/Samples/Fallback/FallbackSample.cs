using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.Fallback;

/// <summary>Runs <see cref="ExchangeRateWorkflow"/> with a failing primary, a quick mirror and a slow archive.</summary>
internal static class FallbackSample
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var workflow = new ExchangeRateWorkflow(
            primary: new SimulatedRateSource("primary", latencyMilliseconds: 80, rate: null),
            mirror: new SimulatedRateSource("mirror", latencyMilliseconds: 150, rate: 0.9213m),
            archive: new SimulatedRateSource("archive", latencyMilliseconds: 900, rate: 0.9198m));

        output.WriteLine("Converting 250.00 USD to EUR; asking the primary API, its mirror and the archive at once ...");
        output.WriteLine();

        var origin = Stopwatch.GetTimestamp();
        var conversion = await workflow.RunAsync(from: "USD", to: "EUR", amount: 250.00m, cancellationToken: cancellationToken);
        var wallTime = Stopwatch.GetElapsedTime(origin);

        foreach (var end in workflow.Timeline.Events.Where(e => !e.IsStart && e.Step.StartsWith("From", StringComparison.Ordinal)))
        {
            var at = Formatting.Milliseconds(StepTimeline.Since(origin, end));
            var source = end.Step["From".Length..].Replace("Async", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            var failure = workflow.Failures.FirstOrDefault(f => f.Step == end.Step).Error;
            var what = failure switch
            {
                null when source == conversion.Rate.Source => $"answered 1 USD = {conversion.Rate.Rate.ToString(Formatting.Invariant)} EUR   <- used",
                null => "answered, too late",
                OperationCanceledException => "cancelled: another source had already answered",
                _ => $"failed: {failure.GetType().Name}: {failure.Message}",
            };
            output.WriteLine($"  {source,-8} at {at,6}  {what}");
        }

        output.WriteLine();
        output.WriteLine($"250.00 USD = {conversion.Converted.ToString("0.00", Formatting.Invariant)} EUR (rate from the {conversion.Rate.Source}).");
        output.WriteLine($"Wall time {Formatting.Milliseconds(wallTime)}: the primary's failure cost nothing, and the slow archive did not hold up the run.");
    }
}
