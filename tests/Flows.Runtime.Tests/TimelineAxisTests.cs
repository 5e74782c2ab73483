namespace Flows.Runtime.Tests;

/// <summary>
/// The time axis of <see cref="ExecutionTimeline.ToMermaidGantt(int)"/> for runs of any length, recorded here with
/// chosen timestamps instead of a real run so that long runs take no time.
/// </summary>
public sealed class TimelineAxisTests
{
    [Theory]
    [InlineData(510, "%L ms", "510")]
    [InlineData(1_400, "%s.%L s", "1400")]
    [InlineData(75_250, "%s.%L s", "75250")]
    public void The_axis_counts_from_the_start_of_the_run_and_never_wraps(int runMilliseconds, string axisFormat, string end)
    {
        var timeline = new ExecutionTimeline();
        var origin = Stopwatch.GetTimestamp();
        long At(int milliseconds) => origin + (milliseconds * Stopwatch.Frequency / 1000);

        var run = timeline.BeginRun("Export", origin);
        var step = timeline.Begin(TimelineEntryKind.Step, "Write", stage: 1, group: null, index: -1, At(0));
        timeline.End(step, At(runMilliseconds), attempts: 1, TimelineOutcome.Succeeded, exception: null);
        timeline.End(run, At(runMilliseconds), attempts: 1, TimelineOutcome.Succeeded, exception: null);

        var lines = timeline.ToMermaidGantt().Split('\n');

        // %L alone is the millisecond within a second and %S the second within a minute: past a second (or a
        // minute) they would start again at 0. %s counts seconds from 0, which is the start of the run here.
        Assert.Contains("    axisFormat " + axisFormat, lines);
        Assert.Contains("    Write: 0, " + end, lines);
    }
}
