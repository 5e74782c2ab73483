using System.Collections.Concurrent;
using System.Diagnostics;

namespace Flows.Samples.Shared;

/// <summary>When a step (or one foreach item) started or ended, as a <see cref="Stopwatch"/> timestamp.</summary>
public readonly record struct StepEvent(string Step, int Index, bool IsStart, long Timestamp);

/// <summary>
/// Collects step start and end times from a workflow's hooks, to print what overlapped. Steps of one group
/// and items of one foreach report at the same time, so the events go into a concurrent queue.
/// </summary>
public sealed class StepTimeline
{
    private readonly ConcurrentQueue<StepEvent> _events = new();

    public void Started(in StepContext context) =>
        _events.Enqueue(new StepEvent(context.Step, context.Index, IsStart: true, Stopwatch.GetTimestamp()));

    public void Ended(in StepContext context) =>
        _events.Enqueue(new StepEvent(context.Step, context.Index, IsStart: false, Stopwatch.GetTimestamp()));

    /// <summary>The events so far, oldest first.</summary>
    public IReadOnlyList<StepEvent> Events => _events.OrderBy(e => e.Timestamp).ToList();

    /// <summary>The time from <paramref name="origin"/> (a <see cref="Stopwatch"/> timestamp) to an event.</summary>
    public static TimeSpan Since(long origin, StepEvent e) => Stopwatch.GetElapsedTime(origin, e.Timestamp);
}
