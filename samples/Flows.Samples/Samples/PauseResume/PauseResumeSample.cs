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
            .Select(e => new Line(StepTimeline.Since(origin, e), $"page {e.Index + 1,2} {(e.IsStart ? "started" : "done")}", IsControl: false))
            .Append(new Line(pausedAt, "Pause()   control.IsPaused = true", IsControl: true))
            .Append(new Line(resumedAt, "Resume()", IsControl: true))
            .OrderBy(e => e.At)
            .ToList();

        // Page events within a few milliseconds of each other share a line; Pause() and Resume() get their own.
        for (var i = 0; i < events.Count;)
        {
            var first = events[i];
            var sameMoment = first.IsControl
                ? 1
                : events.Skip(i).TakeWhile(e => !e.IsControl && (e.At - first.At).TotalMilliseconds < 10).Count();
            output.WriteLine($"  {Formatting.Milliseconds(first.At),8}  {string.Join(", ", events.Skip(i).Take(sameMoment).Select(e => e.Text))}");
            i += sameMoment;
        }

        var whilePaused = events.Where(e => !e.IsControl && e.At > pausedAt && e.At < resumedAt).ToList();
        var startedWhilePaused = whilePaused.Count(e => e.Text.EndsWith("started", StringComparison.Ordinal));
        var finishedWhilePaused = whilePaused.Count(e => e.Text.EndsWith("done", StringComparison.Ordinal));
        output.WriteLine();
        output.WriteLine(
            $"While paused ({Formatting.Milliseconds(resumedAt - pausedAt)}): {finishedWhilePaused} running pages finished, " +
            $"{startedWhilePaused} pages started.");
        output.WriteLine(
            $"All {pageCount} pages exported ({Formatting.Number(totalBytes / 1024.0, "#,##0")} KB) in {Formatting.Milliseconds(wallTime)}, " +
            $"{Formatting.Milliseconds(PauseLength)} of it paused.");
    }

    /// <summary>One line of the printed timeline.</summary>
    private readonly record struct Line(TimeSpan At, string Text, bool IsControl);
}
