namespace Flows.IntegrationTests.ResilienceSteps;

/// <summary>
/// A thread-safe record of step attempts: which attempt of which step (or item) started, and when, measured from the
/// log's creation, so that tests can read retry counts, attempt numbers and the gaps between attempts.
/// </summary>
[ThreadSafe]
public sealed class AttemptLog
{
    private readonly object _gate = new();
    private readonly List<(string Name, int Attempt, TimeSpan At)> _attempts = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Records that attempt <paramref name="attempt"/> of <paramref name="name"/> started now.</summary>
    public void Record(string name, int attempt)
    {
        lock (_gate)
        {
            _attempts.Add((name, attempt, _clock.Elapsed));
        }
    }

    /// <summary>Records the attempt described by <paramref name="context"/>, named by its step (and item index).</summary>
    public void Record(in StepContext context) =>
        Record(context.Index >= 0 ? $"{context.Step}[{context.Index}]" : context.Step, context.Attempt);

    /// <summary>The attempt numbers recorded for <paramref name="name"/>, in order.</summary>
    public int[] AttemptsOf(string name)
    {
        lock (_gate)
        {
            return _attempts.Where(entry => entry.Name == name).Select(entry => entry.Attempt).ToArray();
        }
    }

    /// <summary>How many attempts of <paramref name="name"/> started.</summary>
    public int CountOf(string name) => AttemptsOf(name).Length;

    /// <summary>The time between consecutive attempts of <paramref name="name"/>.</summary>
    public TimeSpan[] GapsOf(string name)
    {
        lock (_gate)
        {
            var times = _attempts.Where(entry => entry.Name == name).Select(entry => entry.At).ToArray();
            return times.Skip(1).Select((time, i) => time - times[i]).ToArray();
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return "[" + string.Join(", ", _attempts.Select(entry => $"{entry.Name}#{entry.Attempt}@{entry.At.TotalMilliseconds:0}")) + "]";
        }
    }
}
