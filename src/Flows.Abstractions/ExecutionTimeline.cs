using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace Flows;

/// <summary>
/// Records when each step and each foreach item of one run started and ended, how many attempts it made and how it
/// ended, and draws the run as a Mermaid gantt chart. Pass a new instance to the generated
/// <c>RunAsync(…, ExecutionTimeline timeline, …)</c>; read it during or after the run.
/// </summary>
/// <remarks>
/// <para>
/// Recording is opt-in and costs a little per step and item (a timestamp and an entry under a lock); a run without a
/// timeline records nothing. One timeline records one run: passing it to a second run fails that run with an
/// <see cref="InvalidOperationException"/>. All members are thread-safe.
/// </para>
/// <para>
/// Every entry that started has ended by the time <c>RunAsync</c> completes, whatever the run ended with: a cancelled or
/// failed run leaves its stopped steps and items as <see cref="TimelineOutcome.Cancelled"/> or
/// <see cref="TimelineOutcome.Failed"/>, and has no entry for what never started (a step held by a paused
/// <see cref="FlowControl"/> starts, and is recorded, when resumed).
/// </para>
/// </remarks>
public sealed class ExecutionTimeline
{
    /// <summary>How many items of one foreach step <see cref="ToMermaidGantt(int)"/> draws as rows of their own by default.</summary>
    public const int DefaultMaxItemRows = 20;

    // Mermaid's gantt lexer reads these at the start of a line as keywords even when no space follows them.
    private static readonly string[] s_bareKeywords = { "gantt", "topAxis", "inclusiveEndDates", "accTitle", "accDescr" };

    private readonly object _lock = new();
    private readonly List<Record> _records = new();
    private long _origin;

    /// <summary>The workflow class's name, once a run has started with this timeline; otherwise null.</summary>
    public string? Workflow
    {
        get
        {
            lock (_lock)
            {
                return _records.Count == 0 ? null : _records[0].Workflow;
            }
        }
    }

    /// <summary>
    /// A snapshot of the entries, in the order they started: the run first, then its steps and items.
    /// Empty before a run started with this timeline.
    /// </summary>
    public IReadOnlyList<TimelineEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                var entries = new TimelineEntry[_records.Count];
                for (var i = 0; i < entries.Length; i++)
                {
                    entries[i] = _records[i].ToEntry(_origin);
                }

                // Entries are numbered as they start; starts taken just before the lock may be a hair out of order.
                return entries.Select((entry, order) => (entry, order))
                    .OrderBy(pair => pair.entry.Kind == TimelineEntryKind.Run ? 0 : 1)
                    .ThenBy(pair => pair.entry.Start)
                    .ThenBy(pair => pair.order)
                    .Select(pair => pair.entry)
                    .ToArray();
            }
        }
    }

    /// <summary>
    /// The run as a Mermaid gantt chart: one section per stage (a parallel group is one stage), one row per step, and
    /// under a foreach step one row per item for its first <paramref name="maxItemRows"/> items (by index), then one
    /// row spanning the rest. Times are whole milliseconds from the start of the run.
    /// </summary>
    /// <param name="maxItemRows">How many items of one foreach step get a row of their own; 0 draws one row for all of them.</param>
    /// <remarks>
    /// Failed rows are marked <c>crit</c> (red), cancelled ones <c>done</c> (grey), rows still running <c>active</c>.
    /// A row shorter than a millisecond is drawn one millisecond wide. Names lose the characters Mermaid reads as
    /// syntax (<c>: ; # %</c>), which become spaces.
    /// </remarks>
    public string ToMermaidGantt(int maxItemRows = DefaultMaxItemRows)
    {
        if (maxItemRows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxItemRows), maxItemRows, "Use 0 or more.");
        }

        var entries = Entries;
        var now = Now();
        var run = entries.FirstOrDefault(entry => entry.Kind == TimelineEntryKind.Run);
        var total = run?.End ?? (entries.Count == 0 ? TimeSpan.Zero : now);

        var text = new StringBuilder();
        text.Append("gantt\n");
        text.Append("    title ").Append(run is null ? "No run recorded" : Title(run, total)).Append('\n');
        text.Append("    dateFormat x\n");
        // %L is the millisecond within its second, so it serves runs under a second; %s counts whole seconds from
        // the epoch, which with dateFormat x are the seconds since the run started, and never wraps as %S does.
        text.Append("    axisFormat ").Append(total.TotalMilliseconds < 1000 ? "%L ms" : "%s.%L s").Append('\n');
        text.Append("    todayMarker off\n");

        var steps = entries.Where(entry => entry.Kind == TimelineEntryKind.Step).ToArray();
        var items = entries.Where(entry => entry.Kind == TimelineEntryKind.Item).ToLookup(entry => (entry.Stage, entry.Step));
        foreach (var stage in steps.GroupBy(entry => entry.Stage).OrderBy(stage => stage.Key))
        {
            var first = stage.First();
            text.Append("    section ").Append(stage.Key.ToString(CultureInfo.InvariantCulture)).Append(". ")
                .Append(Escape(first.Group is null ? first.Step! : "group " + first.Group)).Append('\n');
            foreach (var step in stage)
            {
                AppendRow(text, step.Step!, step, now);
                var stepItems = items[(step.Stage, step.Step)].OrderBy(item => item.Index).ToArray();
                for (var i = 0; i < stepItems.Length && i < maxItemRows; i++)
                {
                    var item = stepItems[i];
                    var label = "item " + item.Index.ToString(CultureInfo.InvariantCulture);
                    if (item.Attempts > 1)
                    {
                        label += $" ({item.Attempts.ToString(CultureInfo.InvariantCulture)} attempts)";
                    }

                    AppendRow(text, label, item, now);
                }

                if (stepItems.Length > maxItemRows)
                {
                    AppendRest(text, stepItems.AsSpan(maxItemRows), now);
                }
            }
        }

        return text.ToString();
    }

    /// <summary><see cref="ToMermaidGantt(int)"/> inside a <c>```mermaid</c> fence, ready for a Markdown file or a GitHub comment.</summary>
    /// <param name="maxItemRows">How many items of one foreach step get a row of their own.</param>
    public string ToMermaidMarkdown(int maxItemRows = DefaultMaxItemRows) =>
        "```mermaid\n" + ToMermaidGantt(maxItemRows) + "```\n";

    /// <summary>Writes <see cref="ToMermaidMarkdown(int)"/> to the file at <paramref name="path"/>, replacing it.</summary>
    /// <param name="path">The Markdown file to write, for example <c>timeline.md</c>.</param>
    /// <param name="maxItemRows">How many items of one foreach step get a row of their own.</param>
    public void WriteMermaidMarkdown(string path, int maxItemRows = DefaultMaxItemRows)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToMermaidMarkdown(maxItemRows));
    }

    internal int BeginRun(string workflow, long timestamp)
    {
        lock (_lock)
        {
            if (_records.Count > 0)
            {
                throw new InvalidOperationException(
                    $"This ExecutionTimeline already recorded a run of {_records[0].Workflow}; pass a new timeline to each run.");
            }

            _origin = timestamp;
            _records.Add(new Record(TimelineEntryKind.Run, workflow, null, 0, null, -1, timestamp));
            return 0;
        }
    }

    internal int Begin(TimelineEntryKind kind, string step, int stage, string? group, int index, long timestamp)
    {
        lock (_lock)
        {
            _records.Add(new Record(kind, _records[0].Workflow, step, stage, group, index, timestamp));
            return _records.Count - 1;
        }
    }

    internal void End(int entry, long timestamp, int attempts, TimelineOutcome outcome, Exception? exception)
    {
        lock (_lock)
        {
            var record = _records[entry];
            record.Ended = timestamp;
            record.Attempts = attempts;
            record.Outcome = outcome;
            record.Exception = exception;
        }
    }

    private TimeSpan Now()
    {
        lock (_lock)
        {
            return _records.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_origin);
        }
    }

    private static string Title(TimelineEntry run, TimeSpan total)
    {
        var outcome = run.Outcome switch
        {
            TimelineOutcome.Succeeded => "succeeded",
            TimelineOutcome.Failed => "failed",
            TimelineOutcome.Cancelled => "cancelled",
            _ => "running",
        };
        return $"{Escape(run.Workflow)} run {outcome} in {Milliseconds(total).ToString(CultureInfo.InvariantCulture)} ms";
    }

    private static void AppendRow(StringBuilder text, string label, TimelineEntry entry, TimeSpan now)
    {
        var tag = entry.Outcome switch
        {
            TimelineOutcome.Failed => "crit, ",
            TimelineOutcome.Cancelled => "done, ",
            TimelineOutcome.Running => "active, ",
            _ => string.Empty,
        };
        AppendTask(text, label, tag, entry.Start, entry.End ?? now);
    }

    // The items past the last row of their own, as one row from the first start to the last end.
    private static void AppendRest(StringBuilder text, ReadOnlySpan<TimelineEntry> rest, TimeSpan now)
    {
        var start = TimeSpan.MaxValue;
        var end = TimeSpan.Zero;
        int failed = 0, cancelled = 0, running = 0;
        foreach (var item in rest)
        {
            start = item.Start < start ? item.Start : start;
            var itemEnd = item.End ?? now;
            end = itemEnd > end ? itemEnd : end;
            failed += item.Outcome == TimelineOutcome.Failed ? 1 : 0;
            cancelled += item.Outcome == TimelineOutcome.Cancelled ? 1 : 0;
            running += item.Outcome == TimelineOutcome.Running ? 1 : 0;
        }

        var label = new StringBuilder()
            .Append(rest.Length == 1 ? "item " : "items ")
            .Append(rest[0].Index.ToString(CultureInfo.InvariantCulture));
        if (rest.Length > 1)
        {
            label.Append(" to ").Append(rest[rest.Length - 1].Index.ToString(CultureInfo.InvariantCulture));
        }

        label.Append(" (").Append(rest.Length.ToString(CultureInfo.InvariantCulture)).Append(" more");
        AppendCount(label, failed, "failed");
        AppendCount(label, cancelled, "cancelled");
        AppendCount(label, running, "running");
        label.Append(')');

        var tag = failed > 0 ? "crit, " : running > 0 ? "active, " : cancelled == rest.Length ? "done, " : string.Empty;
        AppendTask(text, label.ToString(), tag, start, end);

        static void AppendCount(StringBuilder label, int count, string what)
        {
            if (count > 0)
            {
                label.Append(", ").Append(count.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(what);
            }
        }
    }

    private static void AppendTask(StringBuilder text, string label, string tag, TimeSpan start, TimeSpan end)
    {
        var from = Milliseconds(start);
        var to = Math.Max(from + 1, Milliseconds(end));
        text.Append("    ").Append(TaskName(label)).Append(": ").Append(tag)
            .Append(from.ToString(CultureInfo.InvariantCulture)).Append(", ")
            .Append(to.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static long Milliseconds(TimeSpan time) => (long)Math.Round(time.TotalMilliseconds, MidpointRounding.AwayFromZero);

    // A task line is "name: data"; a name that begins with a keyword Mermaid would read gets a leading underscore.
    private static string TaskName(string label)
    {
        var name = Escape(label);
        foreach (var keyword in s_bareKeywords)
        {
            if (name.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return "_" + name;
            }
        }

        return name;
    }

    /// <summary>Text Mermaid reads as plain text in a title, a section or a task name: syntax and line breaks become one space.</summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var plain = c is not (':' or ';' or '#' or '%') && !char.IsControl(c) && !char.IsWhiteSpace(c);
            if (plain)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != ' ')
            {
                builder.Append(' ');
            }
        }

        var escaped = builder.ToString().Trim();
        return escaped.Length == 0 ? "_" : escaped;
    }

    private sealed class Record
    {
        public Record(TimelineEntryKind kind, string workflow, string? step, int stage, string? group, int index, long started)
        {
            Kind = kind;
            Workflow = workflow;
            Step = step;
            Stage = stage;
            Group = group;
            Index = index;
            Started = started;
        }

        public TimelineEntryKind Kind { get; }

        public string Workflow { get; }

        public string? Step { get; }

        public int Stage { get; }

        public string? Group { get; }

        public int Index { get; }

        public long Started { get; }

        public long Ended { get; set; }

        public int Attempts { get; set; } = 1;

        public TimelineOutcome Outcome { get; set; }

        public Exception? Exception { get; set; }

        public TimelineEntry ToEntry(long origin) => new(
            Kind,
            Workflow,
            Step,
            Stage,
            Group,
            Index,
            Attempts,
            Stopwatch.GetElapsedTime(origin, Started),
            Outcome == TimelineOutcome.Running ? null : Stopwatch.GetElapsedTime(origin, Ended),
            Outcome,
            Exception);
    }
}
