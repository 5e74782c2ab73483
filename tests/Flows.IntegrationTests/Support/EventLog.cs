namespace Flows.IntegrationTests.Support;

/// <summary>
/// A thread-safe, totally ordered record of what steps did, so that tests can assert the order of
/// starts and ends across stages and within groups.
/// </summary>
[ThreadSafe]
public sealed class EventLog
{
    private readonly object _gate = new();
    private readonly List<string> _events = new();

    /// <summary>Records <paramref name="name"/> as started.</summary>
    public void Start(string name) => Add("start " + name);

    /// <summary>Records <paramref name="name"/> as ended.</summary>
    public void End(string name) => Add("end " + name);

    public void Add(string entry)
    {
        lock (_gate)
        {
            _events.Add(entry);
        }
    }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public bool Contains(string entry) => Events.Contains(entry);

    public bool Started(string name) => Contains("start " + name);

    public bool Ended(string name) => Contains("end " + name);

    /// <summary>The position of <paramref name="entry"/>; fails the test when it was not recorded.</summary>
    public int IndexOf(string entry)
    {
        var events = Events;
        var index = Array.IndexOf(events.ToArray(), entry);
        Assert.True(index >= 0, $"'{entry}' was not recorded. Log: {this}");
        return index;
    }

    /// <summary>Fails unless <paramref name="first"/> was recorded before <paramref name="second"/>.</summary>
    public void AssertBefore(string first, string second) =>
        Assert.True(IndexOf(first) < IndexOf(second), $"Expected '{first}' before '{second}'. Log: {this}");

    public override string ToString() => "[" + string.Join(", ", Events) + "]";
}
