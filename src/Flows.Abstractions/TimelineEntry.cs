using System.Globalization;

namespace Flows;

/// <summary>What a <see cref="TimelineEntry"/> describes.</summary>
public enum TimelineEntryKind
{
    /// <summary>The whole run.</summary>
    Run = 0,

    /// <summary>One step, from its start to its result, all attempts included. A foreach step's entry spans its items.</summary>
    Step = 1,

    /// <summary>One item of a foreach step, all attempts included.</summary>
    Item = 2,
}

/// <summary>How a run, step or item ended.</summary>
public enum TimelineOutcome
{
    /// <summary>Not ended yet.</summary>
    Running = 0,

    /// <summary>Ended with its result.</summary>
    Succeeded = 1,

    /// <summary>Ended with an exception other than a cancellation (a continue-on-error step that failed included).</summary>
    Failed = 2,

    /// <summary>Ended with an <see cref="OperationCanceledException"/>: the run was cancelled, or its group or loop stopped it.</summary>
    Cancelled = 3,
}

/// <summary>
/// One run, step or foreach item recorded by an <see cref="ExecutionTimeline"/>. Times are relative to the start of
/// the run. An entry is a snapshot: read <see cref="ExecutionTimeline.Entries"/> again to see later changes.
/// </summary>
public sealed class TimelineEntry
{
    internal TimelineEntry(
        TimelineEntryKind kind,
        string workflow,
        string? step,
        int stage,
        string? group,
        int index,
        int attempts,
        TimeSpan start,
        TimeSpan? end,
        TimelineOutcome outcome,
        Exception? exception)
    {
        Kind = kind;
        Workflow = workflow;
        Step = step;
        Stage = stage;
        Group = group;
        Index = index;
        Attempts = attempts;
        Start = start;
        End = end;
        Outcome = outcome;
        Exception = exception;
    }

    /// <summary>Whether this is the run, a step or an item.</summary>
    public TimelineEntryKind Kind { get; }

    /// <summary>The workflow class's name.</summary>
    public string Workflow { get; }

    /// <summary>The step method's name; null for the run.</summary>
    public string? Step { get; }

    /// <summary>The step's stage, from 1, as in the generated code's comments; 0 for the run.</summary>
    public int Stage { get; }

    /// <summary>The step's parallel group; null when it has none, and for the run.</summary>
    public string? Group { get; }

    /// <summary>The item's position in its source, from 0; -1 for the run and steps.</summary>
    public int Index { get; }

    /// <summary>The attempts made: 1 without retries. 1 for the run and for a foreach step (its items retry, not the step).</summary>
    public int Attempts { get; }

    /// <summary>When it started, from the start of the run.</summary>
    public TimeSpan Start { get; }

    /// <summary>When it ended, from the start of the run; null while it runs.</summary>
    public TimeSpan? End { get; }

    /// <summary>How long it ran; null while it runs.</summary>
    public TimeSpan? Duration => End - Start;

    /// <summary>How it ended.</summary>
    public TimelineOutcome Outcome { get; }

    /// <summary>The exception it ended with; null when it succeeded or runs.</summary>
    public Exception? Exception { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var name = Kind switch
        {
            TimelineEntryKind.Run => Workflow,
            TimelineEntryKind.Item => $"{Workflow}.{Step}[{Index}]",
            _ => $"{Workflow}.{Step}",
        };
        var end = End is { } value ? value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) : "…";
        var attempts = Attempts > 1 ? $", {Attempts} attempts" : string.Empty;
        return $"{name} {Start.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}–{end} ms {Outcome}{attempts}";
    }
}
