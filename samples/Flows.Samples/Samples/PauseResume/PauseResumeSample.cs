using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.PauseResume;

/// <summary>
/// Starts <see cref="PageExportWorkflow"/> over 12 pages, pauses it once six pages have started, keeps it
/// paused for 800 ms, resumes it, and prints what started and finished when.
/// </summary>
internal static class PauseResumeSample
{
    private static readonly TimeSpan PauseLength = TimeSpan.FromMilliseconds(800);

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        const int pageCount = 12;
        output.WriteLine($"Exporting {pageCount} pages, 2 at a time, {PageExportWorkflow.RenderMilliseconds} ms each; pausing after the sixth page starts.");
        output.WriteLine();

        var workflow = new PageExportWorkflow();
        var control = new FlowControl();
        var origin = Stopwatch.GetTimestamp();
        var run = workflow.RunAsync(pageCount, control, cancellationToken).AsTask();

        await workflow.SixthPageStarted.WaitAsync(cancellationToken);
        control.Pause();
        var pausedAt = Stopwatch.GetElapsedTime(origin);
        await Task.Delay(PauseLength, cancellationToken);
        var resumedAt = Stopwatch.GetElapsedTime(origin);
        control.Resume();

        var totalBytes = await run;
        var wallTime = Stopwatch.GetElapsedTime(origin);

        var events = workflow.Timeline.Events
            .Where(e => e.Step == nameof(PageExportWorkflow.RenderAsync))
            .Select(e => (At: StepTimeline.Since(origin, e), Text: $"page {e.Index + 1,2} {(e.IsStart ? "started" : "done")}"))
            .Append((At: pausedAt, Text: "Pause()   control.IsPaused = true"))
            .Append((At: resumedAt, Text: "Resume()"))
            .OrderBy(e => e.At)
            .ToList();

        // Pages on one line when they started or finished within a few milliseconds of each other.
        for (var i = 0; i < events.Count;)
        {
            var group = events.Skip(i).TakeWhile(e => (e.At - events[i].At).TotalMilliseconds < 10 && !e.Text.StartsWith('P') && !e.Text.StartsWith('R')).ToList();
            var take = Math.Max(1, group.Count);
            output.WriteLine($"  {Formatting.Milliseconds(events[i].At),8}  {string.Join(", ", events.Skip(i).Take(take).Select(e => e.Text))}");
            i += take;
        }

        var startedWhilePaused = events.Count(e => e.At > pausedAt && e.At < resumedAt && e.Text.EndsWith("started", StringComparison.Ordinal));
        var finishedWhilePaused = events.Count(e => e.At > pausedAt && e.At < resumedAt && e.Text.EndsWith("done", StringComparison.Ordinal));
        output.WriteLine();
        output.WriteLine(
            $"While paused ({Formatting.Milliseconds(resumedAt - pausedAt)}): {finishedWhilePaused} running pages finished, " +
            $"{startedWhilePaused} pages started.");
        output.WriteLine(
            $"All {pageCount} pages exported ({Formatting.Number(totalBytes / 1024.0, "#,##0")} KB) in {Formatting.Milliseconds(wallTime)}, " +
            $"{Formatting.Milliseconds(PauseLength)} of it paused.");
    }
}
