using System.Diagnostics;

namespace Flows.Internal;

/// <summary>
/// Time limits as <see cref="Stopwatch"/> timestamps. A timer (<see cref="CancellationTokenSource.CancelAfter(int)"/>)
/// cancels a token at about the limit, but on a busy machine its callback may run well after it: whether a result
/// came in time is decided by the clock, never by whether the callback has run yet.
/// </summary>
internal static class Deadline
{
    /// <summary>The timestamp <paramref name="milliseconds"/> from now.</summary>
    public static long After(int milliseconds) => After(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>The timestamp <paramref name="limit"/> from now.</summary>
    public static long After(TimeSpan limit) =>
        Stopwatch.GetTimestamp() + (long)Math.Ceiling(limit.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Whether the clock has reached <paramref name="deadline"/>.</summary>
    public static bool HasPassed(long deadline) => Stopwatch.GetTimestamp() >= deadline;

    /// <summary>Whether <paramref name="timestamp"/> is at or after <paramref name="deadline"/>; false without a deadline (0).</summary>
    public static bool IsLate(long timestamp, long deadline) => deadline != 0 && timestamp >= deadline;
}
