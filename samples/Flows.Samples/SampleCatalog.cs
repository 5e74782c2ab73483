using Flows.Samples.Batch;
using Flows.Samples.Dataflow;
using Flows.Samples.Fallback;
using Flows.Samples.MultiModel;
using Flows.Samples.Notifications;
using Flows.Samples.PauseResume;
using Flows.Samples.TravelQuote;
using Flows.Samples.Validation;
using Flows.Samples.WordCount;

namespace Flows.Samples;

/// <summary>
/// A runnable sample: its command-line name, one line about it, what runs it (writing to the given
/// writer), and the Mermaid diagram of its main workflow with the name of the class it comes from.
/// </summary>
internal sealed record Sample(
    string Name,
    string Description,
    Func<TextWriter, CancellationToken, Task> RunAsync,
    string DiagramSource,
    string MermaidDiagram);

/// <summary>Every sample this program can run. Add a new one here and in its own folder under Samples/.</summary>
internal static class SampleCatalog
{
    public static IReadOnlyList<Sample> All { get; } =
    [
        new("travel-quote", "API fan-out: three slow suppliers in one parallel group, then one quote.",
            TravelQuoteSample.RunAsync, nameof(TravelQuoteWorkflow), TravelQuoteWorkflow.MermaidDiagram),
        new("multi-model", "Ask several models about one text, 3 at a time, skipping the ones that fail.",
            MultiModelSample.RunAsync, nameof(ReviewAnalysisWorkflow), ReviewAnalysisWorkflow.MermaidDiagram),
        new("validation", "Run every validation check at once and report all the errors together (WaitAll).",
            ValidationSample.RunAsync, nameof(OrderValidationWorkflow), OrderValidationWorkflow.MermaidDiagram),
        new("fallback", "Race three exchange-rate sources; the first that answers wins (FirstSuccess).",
            FallbackSample.RunAsync, nameof(ExchangeRateWorkflow), ExchangeRateWorkflow.MermaidDiagram),
        new("batch", "Upload records in batches with a pause between them and a start-rate limit.",
            BatchSample.RunAsync, nameof(RecordUploadWorkflow), RecordUploadWorkflow.MermaidDiagram),
        new("word-count", "Map-reduce word count over CPU-bound chunks, one per core; speedup vs sequential.",
            WordCountSample.RunAsync, nameof(WordCountWorkflow), WordCountWorkflow.MermaidDiagram),
        new("notifications", "Notify on every channel; succeed if at least two deliver (MinSuccessCount).",
            NotificationsSample.RunAsync, nameof(NotifyWorkflow), NotifyWorkflow.MermaidDiagram),
        new("dataflow", "A diamond under Scheduling.Dataflow: each step starts when its inputs are ready.",
            DataflowSample.RunAsync, nameof(DiamondWorkflow), DiamondWorkflow.MermaidDiagram),
        new("pause-resume", "Pause a running foreach with FlowControl, watch nothing start, then resume.",
            PauseResumeSample.RunAsync, nameof(PageExportWorkflow), PageExportWorkflow.MermaidDiagram),
    ];

    /// <summary>The sample that runs when no name is given.</summary>
    public static Sample Default => All[0];

    public static Sample? Find(string name) =>
        All.FirstOrDefault(sample => string.Equals(sample.Name, name, StringComparison.OrdinalIgnoreCase));

    public static void PrintList(TextWriter writer)
    {
        writer.WriteLine("Samples (dotnet run --project samples/Flows.Samples -- <sample> [--diagram], or 'all'):");
        var width = All.Max(sample => sample.Name.Length);
        foreach (var sample in All)
        {
            var marker = ReferenceEquals(sample, Default) ? " (default)" : string.Empty;
            writer.WriteLine($"  {sample.Name.PadRight(width)}  {sample.Description}{marker}");
        }
    }
}
