namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// Cases modeled on public bug reports and Q&amp;A threads (each names its report), written before the analyzer was
/// changed for them: R49–R59 race or block, S43–S57 are safe (S57 and R59, the in-place WhenAny comparison,
/// came later from a review of the walker). A case the analyzer still gets wrong carries a
/// <see cref="CorpusCase.Gap"/> and its markup records what the analyzer reports today.
/// </summary>
/// <remarks>
/// Score before any change for them (commit "Corpus: 24 cases modeled on public reports"): racy 8 of 10 found
/// (R50, R51 missed: a captured primary-constructor parameter is not storage to the analysis); safe 1 of 14 silent
/// (false alarms on S43–S48 and S50–S56). After the family fixes that followed (ref publication helpers, captured
/// primary-constructor parameters, Monitor.TryEnter, [ThreadStatic], constant indices, task facts, then struct
/// copies, Interlocked-claimed slots, [MethodImpl(Synchronized)] and lock helpers): racy 10 of 10, safe 14 of 14.
/// </remarks>
public static partial class RaceCorpus
{
    private const string ElementAdvice = "write only the element at the item's index (context.Index), or return the value from the step";
    private const string InterlockedDecrement = "use Interlocked.Decrement, or return the value from the step";

    /// <summary>The cases modeled on public reports.</summary>
    public static IReadOnlyList<CorpusCase> FromReports { get; } = new[]
    {
        // ------------------------------------------------ 1. ref arguments to publication helpers
        new CorpusCase("S43 LazyInitializer publishes one cache for two group members", Truth.Safe, """
            [Workflow]
            public partial class LazyPrices
            {
                private Dictionary<string, decimal>? _prices;

                private Dictionary<string, decimal> Prices => LazyInitializer.EnsureInitialized(ref _prices, () => new Dictionary<string, decimal> { ["tea"] = 3m });

                [Step, Parallel("quote")] public decimal Tea() => Prices["tea"];
                [Step, Parallel("quote")] public bool HasCoffee() => Prices.ContainsKey("coffee");
            }
            """)
        {
            Report = "https://github.com/dotnet/corefx/issues/16274",
        },

        new CorpusCase("S44 ImmutableInterlocked.Update on a static set in a foreach", Truth.Safe, """
            [Workflow]
            public partial class SeenIds
            {
                private static System.Collections.Immutable.ImmutableHashSet<int> s_seen = System.Collections.Immutable.ImmutableHashSet<int>.Empty;

                [Step] public int[] Ids() => new[] { 1, 2, 2 };

                [ParallelForEach(nameof(Ids))]
                public bool Remember(int id) => System.Collections.Immutable.ImmutableInterlocked.Update(ref s_seen, (set, x) => set.Add(x), id);
            }
            """)
        {
            Report = "https://github.com/dotnet/corefx/issues/19408",
        },

        new CorpusCase("S45 a compare-exchange helper keeps the maximum", Truth.Safe, """
            [Workflow]
            public partial class Peak
            {
                private long _peak;

                [Step] public long[] Samples() => new[] { 3L, 9L, 4L };

                [ParallelForEach(nameof(Samples))]
                public void Track(long sample) => RaiseTo(ref _peak, sample);

                [Step] public long Result() => Interlocked.Read(ref _peak);

                private static void RaiseTo(ref long target, long value)
                {
                    long seen;
                    do
                    {
                        seen = Interlocked.Read(ref target);
                        if (value <= seen) return;
                    }
                    while (Interlocked.CompareExchange(ref target, value, seen) != seen);
                }
            }
            """)
        {
            Report = "https://github.com/dotnet/runtime/pull/50797",
        },

        new CorpusCase("R49 a check-then-set helper through ref from two group members", Truth.Racy, """
            [Workflow]
            public partial class PeakRacy
            {
                private long _peak;

                [Step, Parallel("probe")] public void Left() => {|FLOW002,#0:RaiseTo(ref _peak, 3)|};
                [Step, Parallel("probe")] public void Right() => {|#0:RaiseTo(ref _peak, 9)|};

                private static void RaiseTo(ref long target, long value) { if (value > target) target = value; }
            }
            """, new[] { "_peak", "read by 'Left' and written by 'Right', which may run at the same time", Lock })
        {
            Report = "https://github.com/dotnet/runtime/pull/50797",
        },

        // ------------------------------------------------ 6. captured primary-constructor parameters
        new CorpusCase("R50 a primary-constructor budget spent by foreach items", Truth.Racy, """
            [Workflow]
            public partial class Crawl(int budget)
            {
                [Step] public string[] Urls() => new[] { "a", "b", "c" };

                [ParallelForEach(nameof(Urls))]
                public bool Fetch(string url)
                {
                    if ({|FLOW002,#0:budget|} <= 0) return false;
                    {|#0:budget|}--;
                    return url.Length > 0;
                }
            }
            """, new[] { "budget", "read and written by 'Fetch' on several items at once", InterlockedDecrement })
        {
            Report = "https://github.com/SonarSource/sonar-dotnet/issues/7740",
        },

        new CorpusCase("R51 two async group members record the last error in a captured parameter", Truth.Racy, """
            [Workflow]
            public partial class Probe(string lastError)
            {
                [Step, Parallel("checks")]
                public async Task<bool> Dns(CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    {|FLOW002,#0:lastError|} = "dns";
                    return false;
                }

                [Step, Parallel("checks")]
                public async Task<bool> Tls(CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    {|#0:lastError|} = "tls";
                    return false;
                }

                [Step] public string Report(bool dns, bool tls) => lastError;
            }
            """, new[] { "lastError", "written by 'Dns' and written by 'Tls', which may run at the same time", Lock })
        {
            Report = "https://github.com/dotnet/roslyn/issues/69489",
        },

        // ------------------------------------------------ 5. Monitor.TryEnter
        new CorpusCase("S46 Monitor.TryEnter with a timeout guards a list", Truth.Safe, """
            [Workflow]
            public partial class Journal
            {
                private readonly object _gate = new();
                private readonly List<string> _lines = new();

                [Step] public string[] Events() => new[] { "a", "b" };

                [ParallelForEach(nameof(Events))]
                public bool Write(string line)
                {
                    if (Monitor.TryEnter(_gate, 100))
                    {
                        try { _lines.Add(line); return true; }
                        finally { Monitor.Exit(_gate); }
                    }

                    return false;
                }
            }
            """)
        {
            Report = "https://github.com/launchdarkly/dotnet-server-sdk/pull/109",
        },

        new CorpusCase("S47 TryEnter with ref lockTaken inside a helper shared by a group", Truth.Safe, """
            [Workflow]
            public partial class Ledger
            {
                private readonly object _gate = new();
                private decimal _balance;

                [Step, Parallel("post")] public void Credit() => Post(10m);
                [Step, Parallel("post")] public void Debit() => Post(-4m);

                private void Post(decimal amount)
                {
                    var taken = false;
                    try
                    {
                        Monitor.TryEnter(_gate, TimeSpan.FromSeconds(1), ref taken);
                        if (!taken) throw new TimeoutException();
                        _balance += amount;
                    }
                    finally
                    {
                        if (taken) Monitor.Exit(_gate);
                    }
                }
            }
            """)
        {
            Report = "https://github.com/dotnet/docs/pull/7317",
        },

        new CorpusCase("R52 TryEnterWriteLock's answer ignored", Truth.Racy, """
            [Workflow]
            public partial class Store
            {
                private readonly ReaderWriterLockSlim _lock = new();
                private readonly Dictionary<string, int> _flags = new();

                [Step, Parallel("sync")]
                public void Upsert()
                {
                    _lock.TryEnterWriteLock(1000);
                    try { {|FLOW003,#0:_flags["beta"]|} = 1; } finally { _lock.ExitWriteLock(); }
                }

                [Step, Parallel("sync")]
                public int Count()
                {
                    _lock.TryEnterReadLock(1000);
                    try { return {|#0:_flags.Count|}; } finally { _lock.ExitReadLock(); }
                }
            }
            """, new[] { "_flags", "Dictionary<string, int>", "modified (indexer) by 'Upsert' and read (Count) by 'Count', which may run at the same time", Collection })
        {
            Report = "https://github.com/launchdarkly/dotnet-server-sdk/pull/109",
        },

        // ------------------------------------------------ 2. thread-local storage
        new CorpusCase("S48 [ThreadStatic] scratch state in a synchronous foreach body", Truth.Safe, """
            [Workflow]
            public partial class Tokenize
            {
                [ThreadStatic] private static StringBuilder? t_scratch;
                [ThreadStatic] private static int t_used;

                [Step] public string[] Lines() => new[] { "a b", "c" };

                [ParallelForEach(nameof(Lines))]
                public string Normalize(string line)
                {
                    var scratch = t_scratch ??= new StringBuilder();
                    scratch.Clear();
                    t_used++;
                    return scratch.Append(line.Trim()).ToString();
                }
            }
            """)
        {
            Report = "https://github.com/dotnet/corert/issues/6406",
        },

        new CorpusCase("R53 [ThreadStatic] start time across an await", Truth.Racy, """
            [Workflow]
            public partial class Timed
            {
                [ThreadStatic] private static long t_started;

                [Step] public int[] Pages() => new[] { 1, 2, 3 };

                [ParallelForEach(nameof(Pages))]
                public async Task<long> Export(int page, CancellationToken ct)
                {
                    {|FLOW002,#0:{|#0:t_started|}|} = Environment.TickCount64;
                    await Task.Delay(page, ct);
                    return Environment.TickCount64 - t_started;
                }
            }
            """, new[] { "Timed.t_started", "written by 'Export' on several items at once", Lock })
        {
            Report = "https://github.com/PowerShell/PowerShellEditorServices/issues/779",
        },

        new CorpusCase("S49 AsyncLocal across an await, ThreadLocal in a synchronous body", Truth.Safe, """
            [Workflow]
            public partial class Correlated
            {
                private static readonly AsyncLocal<string?> s_requestId = new();
                private readonly ThreadLocal<int> _retries = new(() => 0);

                [Step] public string[] Requests() => new[] { "r1", "r2" };

                [ParallelForEach(nameof(Requests))]
                public async Task<string> Send(string request, CancellationToken ct)
                {
                    s_requestId.Value = request;
                    await Task.Delay(1, ct);
                    return s_requestId.Value!;
                }

                [ParallelForEach(nameof(Requests))]
                public int Count(string request) => ++_retries.Value + request.Length;
            }
            """)
        {
            Report = "https://www.planetgeek.ch/2016/04/26/avoid-threadstatic-threadlocal-and-asynclocal-float-the-state-instead/",
        },

        // ------------------------------------------------ 3. array elements at constant indices
        new CorpusCase("S50 two unordered Dataflow steps fill their own constant slots", Truth.Safe, """
            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Quotes
            {
                private readonly decimal[] _quotes = new decimal[2];

                [Step] public async Task<bool> Air(CancellationToken ct) { await Task.Delay(1, ct); _quotes[0] = 120m; return true; }
                [Step] public async Task<bool> Rail(CancellationToken ct) { await Task.Delay(1, ct); _quotes[1] = 80m; return true; }
                [Step] public decimal Cheapest(bool air, bool rail) => Math.Min(_quotes[0], _quotes[1]);
            }
            """)
        {
            Report = "https://github.com/dotnet/runtime/issues/14746",
        },

        new CorpusCase("R54 a constant slot meets an index known only at run time", Truth.Racy, """
            [Workflow]
            public partial class Slots2
            {
                private readonly int[] _slots = new int[4];

                [Step, Parallel("g")] public void First() => {|FLOW002,#0:_slots[1]|} = 7;
                [Step, Parallel("g")] public void Any(int position) => {|#0:_slots[position]|} = 9;
            }
            """, new[] { "_slots[]", "written by 'First' and written by 'Any', which may run at the same time", ElementAdvice })
        {
            Report = "https://github.com/Particular/NServiceBus/pull/4024",
        },

        // ------------------------------------------------ 4. task completion facts
        new CorpusCase("S51 Result of the work task after WhenAny said it won", Truth.Safe, """
            [Workflow]
            public partial class Deadline
            {
                [Step]
                public async Task<string> Load(CancellationToken ct)
                {
                    var work = Task.Run(() => "data", ct);
                    var timeout = Task.Delay(5000, ct);
                    var first = await Task.WhenAny(work, timeout);
                    if (first == work)
                    {
                        return work.Result;
                    }

                    return "late";
                }
            }
            """)
        {
            Report = "https://github.com/microsoft/vs-threading/issues/301",
        },

        new CorpusCase("S52 a ValueTask checked before its Result, in a helper", Truth.Safe, """
            [Workflow]
            public partial class Cached
            {
                [Step] public Task<int> Price(CancellationToken ct) => ReadAsync(ct);

                private static async Task<int> ReadAsync(CancellationToken ct)
                {
                    await Task.Yield();
                    var pending = LookupAsync(ct);
                    if (!pending.IsCompletedSuccessfully)
                    {
                        return -1;
                    }

                    return pending.Result;
                }

                private static ValueTask<int> LookupAsync(CancellationToken ct) => new(42);
            }
            """)
        {
            Report = "https://github.com/microsoft/vs-threading/issues/698",
        },

        new CorpusCase("R55 Result of the task WhenAny did not return", Truth.Racy, """
            [Workflow]
            public partial class Race
            {
                [Step]
                public async Task<int> Load(Task<int> primary, Task<int> mirror)
                {
                    var first = await Task.WhenAny(primary, mirror);
                    return first == mirror ? {|FLOW004:primary.Result|} : first.Result;
                }
            }
            """, new[] { ".Result", "Load", "", Await })
        {
            Report = "https://github.com/microsoft/vs-threading/issues/301",
        },

        // The timeout idiom of S51 with the comparison written in place (no local for what WhenAny gave), as the
        // report's code and most answers write it; found by the review of the walker split, not by a held-out corpus.
        new CorpusCase("S57 Result of the work task after an in-place WhenAny comparison", Truth.Safe, """
            [Workflow]
            public partial class Deadline
            {
                [Step]
                public async Task<string> Load(CancellationToken ct)
                {
                    var work = Task.Run(() => "data", ct);
                    if (await Task.WhenAny(work, Task.Delay(5000, ct)).ConfigureAwait(false) != work)
                    {
                        return "late";
                    }

                    return work.Result;
                }
            }
            """)
        {
            Report = "https://github.com/microsoft/vs-threading/issues/301",
        },

        new CorpusCase("R59 Result of the task an in-place WhenAny comparison says lost", Truth.Racy, """
            [Workflow]
            public partial class Race
            {
                [Step]
                public async Task<int> Load(Task<int> primary, Task<int> mirror)
                {
                    if (await Task.WhenAny(primary, mirror) == mirror)
                    {
                        return {|FLOW004:primary.Result|};
                    }

                    return await primary;
                }
            }
            """, new[] { ".Result", "Load", "", Await })
        {
            Report = "https://github.com/microsoft/vs-threading/issues/301",
        },

        // ------------------------------------------------ second families: calls not seen, values, facts, locks
        new CorpusCase("R56 a GetOrAdd factory counts creations in a plain field", Truth.Racy, """
            [Workflow]
            public partial class Clients
            {
                private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _byHost = new();
                private int _created;

                [Step] public string[] Hosts() => new[] { "a", "a", "b" };

                [ParallelForEach(nameof(Hosts))]
                public object Connect(string host) => _byHost.GetOrAdd(host, h => { {|FLOW002,#0:{|#0:_created|}|}++; return new object(); });
            }
            """, new[] { "_created", "written by 'Connect' on several items at once", InterlockedIncrement })
        {
            Report = "https://github.com/dotnet/runtime/issues/33221",
        },

        new CorpusCase("S53 a struct snapshot copied to a local", Truth.Safe, """
            public struct Window { public int Count; public long Total; }

            [Workflow]
            public partial class Windowed
            {
                private Window _window = new() { Count = 1, Total = 10 };

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public double Average(int item)
                {
                    var local = _window;
                    local.Count++;
                    local.Total += item;
                    return (double)local.Total / local.Count;
                }
            }
            """)
        {
            Report = "https://github.com/dotnet/runtime/issues/14746",
        },

        new CorpusCase("S54 a slot claimed with the value Interlocked.Increment returned", Truth.Safe, """
            [Workflow]
            public partial class Ring
            {
                private readonly string[] _slots = new string[16];
                private int _next = -1;

                [Step] public string[] Messages() => new[] { "a", "b" };

                [ParallelForEach(nameof(Messages))]
                public void Append(string message)
                {
                    var slot = Interlocked.Increment(ref _next);
                    _slots[slot] = message;
                }
            }
            """)
        {
            Report = "https://github.com/Particular/NServiceBus/pull/4024",
        },

        new CorpusCase("R57 a slot read back from the counter after the increment", Truth.Racy, """
            [Workflow]
            public partial class RingRacy
            {
                private readonly string[] _slots = new string[16];
                private int _next = -1;

                [Step] public string[] Messages() => new[] { "a", "b" };

                [ParallelForEach(nameof(Messages))]
                public void Append(string message)
                {
                    Interlocked.Increment(ref _next);
                    {|FLOW002,#0:{|#0:_slots[_next]|}|} = message;
                }
            }
            """, new[] { "_slots[]", "written by 'Append' on several items at once", ElementAdvice })
        {
            Report = "https://github.com/Particular/NServiceBus/pull/4024",
        },

        new CorpusCase("S55 a [MethodImpl(Synchronized)] helper shared by a group", Truth.Safe, """
            [Workflow]
            public partial class Audit
            {
                private readonly List<string> _entries = new();

                [Step, Parallel("work")] public void Billing() => Record("billing");
                [Step, Parallel("work")] public void Shipping() => Record("shipping");

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.Synchronized)]
                private void Record(string entry) => _entries.Add(entry);
            }
            """)
        {
            Report = "https://github.com/dotnet/docs/issues/11978",
        },

        new CorpusCase("S56 an async lock whose EnterAsync returns a releaser", Truth.Safe, """
            public sealed class AsyncGate
            {
                private readonly SemaphoreSlim _semaphore = new(1, 1);

                public async Task<IDisposable> EnterAsync(CancellationToken ct)
                {
                    await _semaphore.WaitAsync(ct).ConfigureAwait(false);
                    return new Releaser(_semaphore);
                }

                private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
                {
                    public void Dispose() => semaphore.Release();
                }
            }

            [Workflow]
            public partial class Inventory
            {
                private readonly AsyncGate _gate = new();
                private int _reserved;

                [Step] public int[] Orders() => new[] { 1, 2 };

                [ParallelForEach(nameof(Orders))]
                public async Task Reserve(int order, CancellationToken ct)
                {
                    using (await _gate.EnterAsync(ct))
                    {
                        _reserved += order;
                    }
                }
            }
            """)
        {
            Report = "https://github.com/WalletWasabi/WalletWasabi/issues/49",
        },

        new CorpusCase("R58 a lock on a field the locked code replaces", Truth.Racy, """
            [Workflow]
            public partial class Rotating
            {
                private object _gate = new();
                private int _written;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Write(int item)
                {
                    lock ({|FLOW002,#0:_gate|})
                    {
                        {|FLOW002,#1:{|#1:_written|}|} += item;
                        if (_written > 100) { {|#0:_gate|} = new object(); }
                    }
                }
            }
            """,
            new[] { "_gate", "read and written by 'Write' on several items at once", Lock },
            new[] { "_written", "written by 'Write' on several items at once", InterlockedAdd })
        {
            Report = "https://github.com/dotnet/roslynator/issues/325",
        },
    };
}
