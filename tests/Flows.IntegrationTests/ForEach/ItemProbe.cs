using System.Collections.Concurrent;

namespace Flows.IntegrationTests.ForEachSteps;

/// <summary>What a foreach body did: how many items ran at once, which contexts they saw, what they recorded.</summary>
[ThreadSafe]
public sealed class ItemProbe
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<StepContext> _contexts = new();
    private int _current;
    private int _max;

    public int Max => Volatile.Read(ref _max);

    public int Current => Volatile.Read(ref _current);

    public IReadOnlyList<string> Events => _events.ToArray();

    public IReadOnlyList<StepContext> Contexts => _contexts.ToArray();

    public void Add(string entry) => _events.Enqueue(entry);

    public void Enter(in StepContext context)
    {
        _contexts.Enqueue(context);
        Enter();
    }

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}

public sealed class ItemFailedException(int item) : Exception($"Item {item} failed.")
{
    public int Item { get; } = item;
}
