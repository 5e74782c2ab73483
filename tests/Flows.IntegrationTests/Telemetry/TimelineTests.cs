using System.IO;
using System.Text.RegularExpressions;

namespace Flows.IntegrationTests.Telemetry;

// A timeline needs no listener; these tests stay with the telemetry classes so that a listener of theirs never
// changes what the timeline sees, and vice versa.
[Collection(TelemetryCollection.Name)]
public sealed partial class TimelineTests
{
    [Fact]
    public async Task Records_the_run_its_steps_and_the_items_of_a_foreach()
    {
        var timeline = new ExecutionTimeline();

        var result = await new GanttShape().RunAsync(timeline).OrTimeout();

        Assert.Equal(20, result);
        Assert.Equal(nameof(GanttShape), timeline.Workflow);
        var entries = timeline.Entries;
        var run = entries[0];
        Assert.Equal(TimelineEntryKind.Run, run.Kind);
        Assert.Equal(TimeSpan.Zero, run.Start);
        Assert.Equal(TimelineOutcome.Succeeded, run.Outcome);

        var steps = entries.Where(entry => entry.Kind == TimelineEntryKind.Step).ToArray();
        Assert.Equal(
            new[] { "1 First", "2 Left pair", "2 Right pair", "3 Each", "4 Last" },
            steps.Select(step => $"{step.Stage} {step.Step}{(step.Group is null ? string.Empty : " " + step.Group)}").Order(StringComparer.Ordinal));

        var each = steps.Single(step => step.Step == "Each");
        var items = entries.Where(entry => entry.Kind == TimelineEntryKind.Item).OrderBy(item => item.Index).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 3 }, items.Select(item => item.Index));
        Assert.All(items, item =>
        {
            Assert.Equal("Each", item.Step);
            Assert.Equal(3, item.Stage);
            Assert.InRange(item.Start, each.Start, each.End!.Value);
            Assert.InRange(item.End!.Value, item.Start, each.End!.Value);
        });

        Assert.All(entries, entry =>
        {
            Assert.Equal(TimelineOutcome.Succeeded, entry.Outcome);
            Assert.Equal(1, entry.Attempts);
            Assert.NotNull(entry.End);
            Assert.True(entry.End >= entry.Start);
            Assert.InRange(entry.End!.Value, TimeSpan.Zero, run.End!.Value);
            Assert.Null(entry.Exception);
        });

        // Stages follow each other.
        var first = steps.Single(step => step.Step == "First");
        var last = steps.Single(step => step.Step == "Last");
        Assert.All(steps.Where(step => step != first), step => Assert.True(step.Start >= first.End));
        Assert.All(steps.Where(step => step != last), step => Assert.True(step.End <= last.Start));
    }

    [Fact]
    public async Task The_members_of_a_parallel_group_overlap()
    {
        var timeline = new ExecutionTimeline();

        await new GanttShape().RunAsync(timeline).OrTimeout();

        var left = timeline.Entries.Single(entry => entry.Step == "Left");
        var right = timeline.Entries.Single(entry => entry.Step == "Right");
        Assert.True(left.Start < right.End && right.Start < left.End, $"{left} and {right} do not overlap.");
    }

    [Fact]
    public async Task The_gantt_chart_has_a_section_per_stage_a_row_per_step_and_rows_for_items()
    {
        var timeline = new ExecutionTimeline();
        await new GanttShape().RunAsync(timeline).OrTimeout();

        var gantt = WithoutTimes(timeline.ToMermaidGantt(maxItemRows: 2));

        Assert.Equal(
            """
            gantt
                title GanttShape run succeeded in T ms
                dateFormat x
                axisFormat %L ms
                todayMarker off
                section 1. First
                First: S, E
                section 2. group pair
                Left: S, E
                Right: S, E
                section 3. Each
                Each: S, E
                item 0: S, E
                item 1: S, E
                items 2 to 3 (2 more): S, E
                section 4. Last
                Last: S, E

            """.ReplaceLineEndings("\n"),
            gantt);
    }

    [Fact]
    public async Task Gantt_times_are_whole_milliseconds_from_the_start_of_the_run()
    {
        var timeline = new ExecutionTimeline();
        await new GanttShape().RunAsync(timeline).OrTimeout();

        var gantt = timeline.ToMermaidGantt();
        var rows = TaskRow().Matches(gantt);
        Assert.Equal(5 + 4, rows.Count);
        var end = (long)Math.Round(timeline.Entries[0].End!.Value.TotalMilliseconds);
        foreach (Match row in rows)
        {
            var from = long.Parse(row.Groups["from"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var to = long.Parse(row.Groups["to"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(from, 0, end);
            Assert.InRange(to, from + 1, Math.Max(end, from + 1));
        }

        var markdown = timeline.ToMermaidMarkdown();
        Assert.StartsWith("```mermaid\ngantt\n", markdown, StringComparison.Ordinal);
        Assert.EndsWith("\n```\n", markdown, StringComparison.Ordinal);

        var path = Path.Combine(Path.GetTempPath(), $"flows-timeline-{Guid.NewGuid():N}.md");
        try
        {
            timeline.WriteMermaidMarkdown(path);
            Assert.Equal(markdown, File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_large_foreach_draws_its_first_items_then_one_row_for_the_rest()
    {
        var timeline = new ExecutionTimeline();
        await new ManyItems().RunAsync(timeline).OrTimeout();

        Assert.Equal(30, timeline.Entries.Count(entry => entry.Kind == TimelineEntryKind.Item));
        var rows = WithoutTimes(timeline.ToMermaidGantt()).Split('\n');
        Assert.Equal(
            Enumerable.Range(0, ExecutionTimeline.DefaultMaxItemRows).Select(i => $"    item {i}: S, E").Append("    items 20 to 29 (10 more): S, E"),
            rows.Where(row => row.TrimStart().StartsWith("item", StringComparison.Ordinal)));

        var collapsed = WithoutTimes(timeline.ToMermaidGantt(maxItemRows: 0)).Split('\n');
        Assert.Equal(new[] { "    items 0 to 29 (30 more): S, E" }, collapsed.Where(row => row.TrimStart().StartsWith("item", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_cancelled_run_ends_every_started_entry_and_records_nothing_after()
    {
        var timeline = new ExecutionTimeline();
        var workflow = new Interrupted();
        using var cancellation = new CancellationTokenSource();

        var run = workflow.RunAsync(timeline, cancellation.Token).AsTask();
        await workflow.WaitStarted.Task.OrTimeout();
        var during = timeline.Entries;
        Assert.Equal(TimelineOutcome.Running, during.Single(entry => entry.Step == "Wait").Outcome);
        Assert.Null(during.Single(entry => entry.Step == "Wait").End);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());

        var entries = timeline.Entries;
        Assert.Equal(
            new[] { "Interrupted Cancelled", "Prepare Succeeded", "Wait Cancelled" },
            entries.Select(entry => $"{entry.Step ?? entry.Workflow} {entry.Outcome}"));
        Assert.All(entries, entry => Assert.NotNull(entry.End));
        Assert.IsAssignableFrom<OperationCanceledException>(entries[2].Exception);

        Assert.Contains("    title Interrupted run cancelled in ", timeline.ToMermaidGantt(), StringComparison.Ordinal);
        Assert.Contains("    Wait: done, ", timeline.ToMermaidGantt(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_member_is_failed_and_the_member_it_stopped_is_cancelled()
    {
        var timeline = new ExecutionTimeline();

        await Assert.ThrowsAsync<StepFailedException>(async () => await new HalfBroken().RunAsync(timeline).OrTimeout());

        var entries = timeline.Entries;
        Assert.Equal(TimelineOutcome.Failed, entries[0].Outcome);
        Assert.IsType<StepFailedException>(entries[0].Exception);
        Assert.Equal(TimelineOutcome.Failed, entries.Single(entry => entry.Step == "Broken").Outcome);
        Assert.Equal(TimelineOutcome.Cancelled, entries.Single(entry => entry.Step == "Slow").Outcome);
        Assert.All(entries, entry => Assert.NotNull(entry.End));

        // The group's name loses what Mermaid would read as syntax.
        var gantt = WithoutTimes(timeline.ToMermaidGantt());
        Assert.Contains("    section 1. group io fast 1 now\n", gantt, StringComparison.Ordinal);
        Assert.Contains("    Slow: done, S, E\n", gantt, StringComparison.Ordinal);
        Assert.Contains("    Broken: crit, S, E\n", gantt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_run_records_nothing_new_until_resumed()
    {
        var timeline = new ExecutionTimeline();
        var control = new FlowControl();
        var workflow = new Pausable();

        var run = workflow.RunAsync(control, timeline).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        control.Pause();
        workflow.ReleaseFirst.SetResult();
        await Task.Delay(Limits.Quiet);

        var paused = timeline.Entries;
        Assert.Equal(new[] { "Pausable Running", "One Succeeded" }, paused.Select(entry => $"{entry.Step ?? entry.Workflow} {entry.Outcome}"));

        control.Resume();
        await run.OrTimeout();

        var entries = timeline.Entries;
        Assert.Equal(new[] { "Pausable Succeeded", "One Succeeded", "Two Succeeded" }, entries.Select(entry => $"{entry.Step ?? entry.Workflow} {entry.Outcome}"));
        var one = entries[1];
        var two = entries[2];
        Assert.True(two.Start - one.End!.Value >= Limits.Quiet - TimeSpan.FromMilliseconds(20), $"{two} started too soon after {one}.");
    }

    [Fact]
    public async Task Retries_are_counted_on_the_entry()
    {
        var timeline = new ExecutionTimeline();

        await new FlakyOrder().RunAsync(timeline).OrTimeout();

        Assert.Equal(3, timeline.Entries.Single(entry => entry.Step == "Charge").Attempts);
        Assert.Equal(
            new[] { 1, 2, 1 },
            timeline.Entries.Where(entry => entry.Kind == TimelineEntryKind.Item).OrderBy(entry => entry.Index).Select(entry => entry.Attempts));
        Assert.Contains("    item 1 (2 attempts): ", timeline.ToMermaidGantt(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeline_records_one_run()
    {
        var timeline = new ExecutionTimeline();
        Assert.Empty(timeline.Entries);
        Assert.Null(timeline.Workflow);
        Assert.Contains("title No run recorded", timeline.ToMermaidGantt(), StringComparison.Ordinal);

        await new WhoIsCurrent().RunAsync(timeline).OrTimeout();
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await new WhoIsCurrent().RunAsync(timeline).OrTimeout());
        Assert.Contains("new timeline", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, timeline.Entries.Count);
    }

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new WhoIsCurrent().RunAsync((ExecutionTimeline)null!).OrTimeout());
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new WhoIsCurrent().RunAsync(new FlowControl(), null!).OrTimeout());
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new WhoIsCurrent().RunAsync(null!, new ExecutionTimeline()).OrTimeout());
    }

    private static string WithoutTimes(string gantt) =>
        TimeInTitle().Replace(TaskTimes().Replace(gantt, "${tag}S, E"), " in T ms");

    [GeneratedRegex(@"(?<tag>(crit|done|active), )?\d+, \d+$", RegexOptions.Multiline)]
    private static partial Regex TaskTimes();

    [GeneratedRegex(@" in \d+ ms")]
    private static partial Regex TimeInTitle();

    [GeneratedRegex(@"^    [^\n:]+: (?:(?:crit|done|active), )?(?<from>\d+), (?<to>\d+)$", RegexOptions.Multiline)]
    private static partial Regex TaskRow();
}
