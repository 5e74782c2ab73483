using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.Dataflow;

/// <summary>Runs the diamond in stages and under Dataflow scheduling, and draws when each step ran.</summary>
internal static class DataflowSample
{
    private const double MillisecondsPerColumn = 12.5;

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var services = new RecommendationServices();
        output.WriteLine("FetchCustomer (50 ms) -> Score (250 ms)  \\");
        output.WriteLine("                                           Recommend");
        output.WriteLine("FetchCatalog (300 ms) -> PickOffers (50 ms) /");
        output.WriteLine();

        var staged = new StagedDiamondWorkflow(services);
        var origin = Stopwatch.GetTimestamp();
        await staged.RunAsync(customerId: 42, cancellationToken);
        var stagedTime = Stopwatch.GetElapsedTime(origin);
        output.WriteLine($"In stages (two parallel groups, Scheduling.Sequential): {Formatting.Milliseconds(stagedTime)}");
        Draw(output, staged.Timeline, origin);

        var dataflow = new DiamondWorkflow(services);
        origin = Stopwatch.GetTimestamp();
        var recommendation = await dataflow.RunAsync(customerId: 42, cancellationToken);
        var dataflowTime = Stopwatch.GetElapsedTime(origin);
        output.WriteLine($"Scheduling.Dataflow: {Formatting.Milliseconds(dataflowTime)}");
        Draw(output, dataflow.Timeline, origin);

        output.WriteLine($"Recommendation for {recommendation}");
        output.WriteLine(
            $"Dataflow took {Formatting.Milliseconds(dataflowTime)} instead of {Formatting.Milliseconds(stagedTime)}: " +
            "Score started when the customer was in, without waiting for the catalog.");
    }

    // One row per step: '#' from its start to its end, one column per 12.5 ms.
    private static void Draw(TextWriter output, StepTimeline timeline, long origin)
    {
        var events = timeline.Events;
        foreach (var start in events.Where(e => e.IsStart))
        {
            var end = events.First(e => !e.IsStart && e.Step == start.Step);
            var from = StepTimeline.Since(origin, start).TotalMilliseconds;
            var to = StepTimeline.Since(origin, end).TotalMilliseconds;
            var offset = (int)Math.Round(from / MillisecondsPerColumn);
            var width = Math.Max(1, (int)Math.Round(to / MillisecondsPerColumn) - offset);
            var name = start.Step.Replace("Async", string.Empty, StringComparison.Ordinal);
            output.WriteLine($"  {name,-14}|{new string(' ', offset)}{new string('#', width)}".PadRight(64) + $"{Formatting.Milliseconds(from),7} - {Formatting.Milliseconds(to)}");
        }

        output.WriteLine();
    }
}
