using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.MultiModel;

/// <summary>Runs <see cref="ReviewAnalysisWorkflow"/> over six models and prints each answer and the consensus.</summary>
internal static class MultiModelSample
{
    private const string Review =
        "Arrived a day late, but the blender is quiet, powerful and easy to clean. Would buy again.";

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var models = SimulatedModels.Names;
        output.WriteLine($"Classifying one review with {models.Count} models, 3 at a time, each allowed 1,500 ms:");
        output.WriteLine($"  \"{Review}\"");
        output.WriteLine();

        var workflow = new ReviewAnalysisWorkflow(new SimulatedModels());
        var stopwatch = Stopwatch.StartNew();
        var consensus = await workflow.RunAsync(models: models, text: Review, cancellationToken: cancellationToken);
        var wallTime = stopwatch.Elapsed;

        foreach (var model in models)
        {
            if (consensus.Answers.FirstOrDefault(answer => answer.Model == model) is { } answer)
            {
                output.WriteLine($"  {model,-12} {answer.Sentiment,-9} confidence {Formatting.Number(answer.Confidence, "0.00")}  ({Formatting.Milliseconds(answer.Latency)})");
            }
            else
            {
                var skipped = consensus.Skipped.First(skip => skip.Model == model);
                output.WriteLine($"  {model,-12} skipped: {skipped.Reason}");
            }
        }

        output.WriteLine();
        output.WriteLine(
            $"Consensus: {consensus.Sentiment} (mean confidence {Formatting.Number(consensus.MeanConfidence, "0.00")}), " +
            $"from {consensus.Answers.Count} of {models.Count} models; {consensus.Skipped.Count} skipped.");
        output.WriteLine(
            $"Wall time {Formatting.Milliseconds(wallTime)}; the {models.Count} calls took {Formatting.Milliseconds(SumOfCalls(workflow.Timeline))} " +
            "added up (failed and timed-out ones included).");
    }

    // The time each model call took, from its start to its end, summed over the calls.
    private static TimeSpan SumOfCalls(StepTimeline timeline)
    {
        var events = timeline.Events.Where(e => e.Step == nameof(ReviewAnalysisWorkflow.ClassifyAsync)).ToList();
        var ticks = events
            .Where(e => !e.IsStart)
            .Sum(end => end.Timestamp - events.First(start => start.IsStart && start.Index == end.Index).Timestamp);
        return TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);
    }
}
