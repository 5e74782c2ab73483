namespace Flows.DurableTask.Tests.Support;

/// <summary>
/// What the activities of one orchestration instance did, seen from inside them: how many ran at once (at most),
/// which item and attempt started when, how many finished. Keyed by instance id, so runs never mix.
/// </summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> s_byInstance = new();

    private readonly object _lock = new();
    private readonly List<Execution> _started = new();
    private int _running;
    private int _maxRunning;
    private int _finished;

    public static Probe For(string instanceId) => s_byInstance.GetOrAdd(instanceId, static _ => new Probe());

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Finished => Volatile.Read(ref _finished);

    public IReadOnlyList<Execution> Started
    {
        get
        {
            lock (_lock)
            {
                return _started.ToArray();
            }
        }
    }

    public void Enter(string activity, int item, int attempt)
    {
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        lock (_lock)
        {
            _started.Add(new Execution(activity, item, attempt, DateTime.UtcNow));
        }
    }

    public void Exit(int item)
    {
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _finished);
        lock (_lock)
        {
            for (var i = _started.Count - 1; i >= 0; i--)
            {
                if (_started[i].Item == item && _started[i].EndedAt is null)
                {
                    _started[i] = _started[i] with { EndedAt = DateTime.UtcNow };
                    break;
                }
            }
        }
    }

    public sealed record Execution(string Activity, int Item, int Attempt, DateTime StartedAt, DateTime? EndedAt = null);
}
