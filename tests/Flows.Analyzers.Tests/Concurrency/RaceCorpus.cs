namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>Whether a corpus case really races (or blocks) at run time: the ground truth the analyzer is scored against.</summary>
public enum Truth
{
    /// <summary>Two accesses really can run at the same time unprotected, or a step really blocks.</summary>
    Racy,

    /// <summary>Idiomatic safe code: any diagnostic on it is a false positive.</summary>
    Safe,
}

/// <summary>One workflow of the corpus: its truth, its markup (what the analyzer is expected to report) and the message arguments.</summary>
/// <param name="Name">A unique name, the theory's display argument.</param>
/// <param name="Truth">What happens at run time.</param>
/// <param name="Markup">The source, with the usings of <see cref="RaceCorpus.Usings"/> in front, and the expected diagnostics marked.</param>
/// <param name="Arguments">The expected message arguments of the diagnostics, in order of position.</param>
public sealed record CorpusCase(string Name, Truth Truth, string Markup, params string[][] Arguments)
{
    public string Source => RaceCorpus.Usings + Markup;

    /// <summary>The public report (issue, pull request, Q&amp;A thread) the case is modeled on, for the cases written from one.</summary>
    public string? Report { get; init; }

    /// <summary>
    /// Set while the analyzer gets the case wrong: what it does instead (a false alarm on a safe case, a miss on a racy
    /// one). The markup then records what the analyzer reports today, so the exact assertion pins the gap until it is
    /// fixed; the precision/recall table counts it against the analyzer.
    /// </summary>
    public string? Gap { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The race analysis corpus: workflows that race or block (each flagged exactly where and how the analyzer should),
/// and safe-but-tricky ones that must stay silent. A racy case with no markup is a known miss, counted against recall
/// in the precision/recall table (docs/race-analysis.md).
/// </summary>
public static partial class RaceCorpus
{
    public const string Usings = """
        using Flows;
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string ForEach = "written by 'Accumulate' on several items at once";
    private const string Lock = "guard every access with the same lock, or return the value from the step instead of sharing it";
    private const string Collection = "use a concurrent collection (System.Collections.Concurrent), guard every use with the same lock, or return the values from the steps";
    private const string InterlockedAdd = "use Interlocked.Add, or return the value from the step";
    private const string InterlockedIncrement = "use Interlocked.Increment, or return the value from the step";
    private const string Await = "await the task instead";

    // A stand-in for EF Core: the analyzer recognizes a DbContext by its base type's full name.
    private const string EntityFramework = """

        namespace Microsoft.EntityFrameworkCore
        {
            public class DbContext
            {
                public Task<int> SaveChangesAsync(CancellationToken ct = default) => Task.FromResult(0);
                public ValueTask DisposeAsync() => default;
            }

            public interface IDbContextFactory<TContext> where TContext : DbContext
            {
                TContext CreateDbContext();
            }
        }

        public class ShopContext : Microsoft.EntityFrameworkCore.DbContext
        {
            public List<string> Orders { get; } = new();
        }
        """;

    private static IReadOnlyList<CorpusCase>? s_all;

    /// <summary>Every case: the hand-written ones, then those modeled on public reports (<see cref="FromReports"/>).</summary>
    public static IReadOnlyList<CorpusCase> All => s_all ??= HandWritten.Concat(FromReports).ToArray();

    /// <summary>The cases written with the analyzer (R01–R48, S01–S42).</summary>
    public static IReadOnlyList<CorpusCase> HandWritten { get; } = new[]
    {
        // ---------------------------------------------------------------- racy: FLOW002
        new CorpusCase("R01 foreach compound add on a field", Truth.Racy, """
            [Workflow]
            public partial class Totals
            {
                private int _total;

                [Step] public int[] Items() => new[] { 1, 2, 3 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:_total|}|} += item;
            }
            """, new[] { "_total", ForEach, InterlockedAdd }),

        new CorpusCase("R02 group: one writes, one reads", Truth.Racy, """
            [Workflow]
            public partial class Flags
            {
                private int _count;

                [Step, Parallel("g")] public void A() => {|FLOW002,#0:_count|} = 1;
                [Step, Parallel("g")] public int B() => {|#0:_count|};
            }
            """, new[] { "_count", "written by 'A' and read by 'B', which may run at the same time", Lock }),

        new CorpusCase("R03 foreach increment", Truth.Racy, """
            [Workflow]
            public partial class Counter
            {
                private long _seen;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) { {|FLOW002,#0:{|#0:_seen|}|}++; }
            }
            """, new[] { "_seen", ForEach, InterlockedIncrement }),

        new CorpusCase("R04 static field in a foreach", Truth.Racy, """
            [Workflow]
            public partial class Stats
            {
                private static int s_total;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:s_total|}|} -= item;
            }
            """, new[] { "Stats.s_total", ForEach, InterlockedAdd }),

        new CorpusCase("R05 helper called by two group members", Truth.Racy, """
            [Workflow]
            public partial class Hits
            {
                private int _hits;

                [Step, Parallel("g")] public void A() => {|FLOW002,#0:Bump()|};
                [Step, Parallel("g")] public void B() => {|#0:Bump()|};

                private void Bump() => _hits++;
            }
            """, new[] { "_hits", "written by 'A' and written by 'B', which may run at the same time", InterlockedIncrement }),

        new CorpusCase("R06 Dataflow: unordered steps write one field", Truth.Racy, """
            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Latest
            {
                private string _last = "";

                [Step] public int Left() { {|FLOW002,#0:_last|} = "left"; return 1; }
                [Step] public int Right() { {|#0:_last|} = "right"; return 2; }
                [Step] public int Sum(int left, int right) => left + right;
            }
            """, new[] { "_last", "written by 'Left' and written by 'Right', which may run at the same time", Lock }),

        new CorpusCase("R07 array element with a fixed index", Truth.Racy, """
            [Workflow]
            public partial class Slots
            {
                private readonly int[] _slots = new int[4];

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:_slots[0]|}|} = item;
            }
            """, new[] { "_slots[]", ForEach, "write only the element at the item's index (context.Index), or return the value from the step" }),

        new CorpusCase("R08 lazy initialization with ??= in two members", Truth.Racy, """
            [Workflow]
            public partial class LazyCache
            {
                private Dictionary<string, int>? _cache;

                [Step, Parallel("g")] public int A() => ({|FLOW002,#0:_cache|} ??= new()).Count;
                [Step, Parallel("g")] public int B() => ({|#0:_cache|} ??= new()).Count;
            }
            """, new[] { "_cache", "written by 'A' and written by 'B', which may run at the same time", "initialize it before the steps run, or use Lazy<T>" }),

        new CorpusCase("R09 locks on different objects", Truth.Racy, """
            [Workflow]
            public partial class TwoLocks
            {
                private readonly object _a = new();
                private readonly object _b = new();
                private int _n;

                [Step, Parallel("g")] public void A() { lock (_a) { {|FLOW002,#0:_n|}++; } }
                [Step, Parallel("g")] public void B() { lock (_b) { {|#0:_n|}++; } }
            }
            """, new[] { "_n", "written by 'A' and written by 'B', which may run at the same time", InterlockedIncrement }),

        new CorpusCase("R10 lock on one side only", Truth.Racy, """
            [Workflow]
            public partial class HalfLocked
            {
                private readonly object _gate = new();
                private int _n;

                [Step, Parallel("g")] public void A() { lock (_gate) { {|FLOW002,#0:_n|} = 1; } }
                [Step, Parallel("g")] public int B() => {|#0:_n|};
            }
            """, new[] { "_n", "written by 'A' and read by 'B', which may run at the same time", Lock }),

        new CorpusCase("R11 out argument to a field", Truth.Racy, """
            [Workflow]
            public partial class Parser
            {
                private int _parsed;

                [Step] public string[] Items() => new[] { "1", "2" };

                [ParallelForEach(nameof(Items))]
                public bool Accumulate(string item) => int.TryParse(item, out {|FLOW002,#0:{|#0:_parsed|}|});
            }
            """, new[] { "_parsed", ForEach, Lock }),

        new CorpusCase("R12 auto-property incremented in a foreach", Truth.Racy, """
            [Workflow]
            public partial class Progress
            {
                public int Done { get; private set; }

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:Done|}|}++;
            }
            """, new[] { "Done", ForEach, InterlockedIncrement }),

        new CorpusCase("R13 field of a nested object", Truth.Racy, """
            public sealed class Stats { public int Hits; }

            [Workflow]
            public partial class Nested
            {
                private readonly Stats _stats = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:_stats.Hits|}|} += item;
            }
            """, new[] { "_stats.Hits", ForEach, InterlockedAdd }),

        new CorpusCase("R14 method of a user type in the same compilation", Truth.Racy, """
            public sealed class Tally
            {
                private int _value;
                public void Add(int amount) => _value += amount;
            }

            [Workflow]
            public partial class Calls
            {
                private readonly Tally _tally = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:_tally.Add(item)|}|};
            }
            """, new[] { "_tally._value", ForEach, InterlockedAdd }),

        new CorpusCase("R15 three calls deep", Truth.Racy, """
            [Workflow]
            public partial class Deep
            {
                private string _status = "";

                [Step, Parallel("g")] public void A() => {|FLOW002,#0:One()|};
                [Step, Parallel("g")] public string B() => {|#0:_status|};

                private void One() => Two();
                private void Two() => Three();
                private void Three() => _status = "done";
            }
            """, new[] { "_status", "written by 'A' and read by 'B', which may run at the same time", Lock }),

        new CorpusCase("R16 semaphore that admits two", Truth.Racy, """
            [Workflow]
            public partial class Wide
            {
                private readonly SemaphoreSlim _gate = new(2, 2);
                private int _n;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public async Task Accumulate(int item)
                {
                    await _gate.WaitAsync();
                    try { {|FLOW002,#0:{|#0:_n|}|} += item; } finally { _gate.Release(); }
                }
            }
            """, new[] { "_n", ForEach, InterlockedAdd }),

        new CorpusCase("R17 interlocked against a plain write", Truth.Racy, """
            [Workflow]
            public partial class Reset
            {
                private int _n;

                [Step, Parallel("g")] public void A() => Interlocked.Increment(ref {|FLOW002,#0:_n|});
                [Step, Parallel("g")] public void B() => {|#0:_n|} = 0;
            }
            """, new[] { "_n", "written by 'A' and written by 'B', which may run at the same time", Lock }),

        new CorpusCase("R18 histogram indexed by a repeating item", Truth.Racy, """
            [Workflow]
            public partial class Histogram
            {
                private readonly int[] _counts = new int[10];

                [Step] public int[] Lengths() => new[] { 3, 3, 5 };

                [ParallelForEach(nameof(Lengths))]
                public void Accumulate(int length) => {|FLOW002,#0:{|#0:_counts[length]|}|}++;
            }
            """, new[] { "_counts[]", ForEach, InterlockedIncrement }),

        new CorpusCase("R19 static auto-property", Truth.Racy, """
            [Workflow]
            public partial class Global
            {
                public static int Processed { get; set; }

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:Processed|}|} += 1;
            }
            """, new[] { "Global.Processed", ForEach, InterlockedAdd }),

        new CorpusCase("R20 read in a foreach that also writes", Truth.Racy, """
            [Workflow]
            public partial class Maximum
            {
                private int _max;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item)
                {
                    if ({|FLOW002,#0:_max|} < item) {|#0:_max|} = item;
                }
            }
            """, new[] { "_max", "read and written by 'Accumulate' on several items at once", Lock }),

        // ---------------------------------------------------------------- racy: FLOW003
        new CorpusCase("R21 List.Add in a foreach", Truth.Racy, """
            [Workflow]
            public partial class Collect
            {
                private readonly List<int> _seen = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW003,#0:{|#0:_seen.Add(item)|}|};
            }
            """, new[] { "_seen", "List<int>", "modified (Add) by 'Accumulate' on several items at once", Collection }),

        new CorpusCase("R22 Dictionary written by one member, read by another", Truth.Racy, """
            [Workflow]
            public partial class Prices
            {
                private readonly Dictionary<string, int> _prices = new();

                [Step, Parallel("g")] public void A() => {|FLOW003,#0:_prices["tea"]|} = 3;
                [Step, Parallel("g")] public bool B() => {|#0:_prices.TryGetValue("tea", out _)|};
            }
            """, new[] { "_prices", "Dictionary<string, int>", "modified (indexer) by 'A' and read (TryGetValue) by 'B', which may run at the same time", Collection }),

        new CorpusCase("R23 StringBuilder appended by two members", Truth.Racy, """
            [Workflow]
            public partial class Report
            {
                private readonly StringBuilder _text = new();

                [Step, Parallel("g")] public void A() => {|FLOW003,#0:_text.Append("a")|};
                [Step, Parallel("g")] public void B() => {|#0:_text.AppendLine("b")|};
            }
            """, new[] { "_text", "StringBuilder", "modified (Append) by 'A' and modified (AppendLine) by 'B', which may run at the same time", "give each step its own StringBuilder, or guard every use with the same lock" }),

        new CorpusCase("R24 Random instance in a foreach", Truth.Racy, """
            [Workflow]
            public partial class Dice
            {
                private readonly Random _random = new(42);

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(int item) => {|FLOW003,#0:{|#0:_random.Next(item)|}|};
            }
            """, new[] { "_random", "Random", "modified (Next) by 'Accumulate' on several items at once", "use Random.Shared, which is thread-safe" }),

        new CorpusCase("R25 HttpClient default headers changed while another member sends", Truth.Racy, """
            [Workflow]
            public partial class Fetch
            {
                private readonly System.Net.Http.HttpClient _http = new();

                [Step, Parallel("g")] public void Authorize() => {|FLOW003,#0:_http.DefaultRequestHeaders.Add("X-Key", "k")|};
                [Step, Parallel("g")] public Task<string> Load() => {|#0:_http.GetStringAsync("https://example.com")|};
            }
            """, new[] { "_http", "HttpClient", "modified (DefaultRequestHeaders.Add) by 'Authorize' and read (GetStringAsync) by 'Load', which may run at the same time", "configure DefaultRequestHeaders before the workflow runs, or set headers per request on an HttpRequestMessage" }),

        new CorpusCase("R26 one DbContext used by two members", Truth.Racy, """
            [Workflow]
            public partial class Save
            {
                private readonly ShopContext _db = new();

                [Step, Parallel("g")] public Task<int> A() => {|FLOW003,#0:_db.SaveChangesAsync()|};
                [Step, Parallel("g")] public int B() => {|#0:_db.Orders|}.Count;
            }
            """ + EntityFramework, new[] { "_db", "ShopContext", "used (SaveChangesAsync) by 'A' and used (Orders) by 'B', which may run at the same time", "a DbContext is never thread-safe: inject IDbContextFactory<T> and create a context in each step" }),

        new CorpusCase("R27 a workflow input list shared by two members", Truth.Racy, """
            [Workflow]
            public partial class SharedInput
            {
                [Step, Parallel("g")] public void A(List<int> numbers) => {|FLOW003,#0:numbers.Add(4)|};
                [Step, Parallel("g")] public int B(List<int> numbers) => {|#0:numbers.Sum()|};
            }
            """, new[] { "numbers", "List<int>", "modified (Add) by 'A' and read (Sum) by 'B', which may run at the same time", Collection }),

        new CorpusCase("R28 a step output consumed by two members", Truth.Racy, """
            [Workflow]
            public partial class SharedOutput
            {
                [Step] public List<string> Names() => new() { "a" };

                [Step, Parallel("g")] public void A(List<string> names) => {|FLOW003,#0:names.Remove("a")|};
                [Step, Parallel("g")] public int B(List<string> names) => {|#0:names.Count|};
            }
            """, new[] { "names", "List<string>", "modified (Remove) by 'A' and read (Count) by 'B', which may run at the same time", Collection }),

        new CorpusCase("R29 local alias of a shared list", Truth.Racy, """
            [Workflow]
            public partial class Alias
            {
                private readonly List<int> _items = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item)
                {
                    var list = _items;
                    {|FLOW003,#0:{|#0:list.Add(item)|}|};
                }
            }
            """, new[] { "_items", "List<int>", "modified (Add) by 'Accumulate' on several items at once", Collection }),

        new CorpusCase("R30 enumerated by one member while another adds", Truth.Racy, """
            [Workflow]
            public partial class Log
            {
                private readonly List<string> _log = new();

                [Step, Parallel("g")]
                public int A()
                {
                    var n = 0;
                    foreach (var line in {|FLOW003,#0:_log|}) n += line.Length;
                    return n;
                }

                [Step, Parallel("g")] public void B() => {|#0:_log.Add("b")|};
            }
            """, new[] { "_log", "List<string>", "read (GetEnumerator) by 'A' and modified (Add) by 'B', which may run at the same time", Collection }),

        new CorpusCase("R31 check-then-add on a HashSet", Truth.Racy, """
            [Workflow]
            public partial class Dedupe
            {
                private readonly HashSet<int> _seen = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item)
                {
                    if (!{|FLOW003,#0:_seen.Contains(item)|}) {|#0:_seen.Add(item)|};
                }
            }
            """, new[] { "_seen", "HashSet<int>", "read (Contains) and modified (Add) by 'Accumulate' on several items at once", Collection }),

        new CorpusCase("R32 primary-constructor list", Truth.Racy, """
            [Workflow]
            public partial class Sink(Queue<int> queue)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW003,#0:{|#0:queue.Enqueue(item)|}|};
            }
            """, new[] { "queue", "Queue<int>", "modified (Enqueue) by 'Accumulate' on several items at once", Collection }),

        new CorpusCase("R33 LINQ read against a write", Truth.Racy, """
            [Workflow]
            public partial class Scores
            {
                private readonly List<int> _scores = new();

                [Step, Parallel("g")] public int A() => {|FLOW003,#0:_scores.Where(s => s > 3)|}.Count();
                [Step, Parallel("g")] public void B() => {|#0:_scores.Add(5)|};
            }
            """, new[] { "_scores", "List<int>", "read (Where) by 'A' and modified (Add) by 'B', which may run at the same time", Collection }),

        // ---------------------------------------------------------------- racy: FLOW004
        new CorpusCase("R34 .Result in a step", Truth.Racy, """
            [Workflow]
            public partial class Blocking
            {
                [Step] public int Load(Task<int> pending) => {|FLOW004:pending.Result|};
            }
            """, new[] { ".Result", "Load", "", Await }),

        new CorpusCase("R35 .Wait() in a step", Truth.Racy, """
            [Workflow]
            public partial class Blocking
            {
                [Step] public void Load(Task pending) => {|FLOW004:pending.Wait()|};
            }
            """, new[] { ".Wait()", "Load", "", Await }),

        new CorpusCase("R36 GetAwaiter().GetResult() in a step", Truth.Racy, """
            [Workflow]
            public partial class Blocking
            {
                [Step] public int Load(Task<int> pending) => {|FLOW004:pending.ConfigureAwait(false).GetAwaiter().GetResult()|};
            }
            """, new[] { "GetAwaiter().GetResult()", "Load", "", Await }),

        new CorpusCase("R37 Thread.Sleep in an async step", Truth.Racy, """
            [Workflow]
            public partial class Blocking
            {
                [Step] public async Task Load() { await Task.Yield(); {|FLOW004:Thread.Sleep(10)|}; }
            }
            """, new[] { "Thread.Sleep", "Load", "", "await Task.Delay instead" }),

        new CorpusCase("R38 blocking in a helper, reported at the call", Truth.Racy, """
            [Workflow]
            public partial class Blocking
            {
                [Step] public int Load() => {|FLOW004:Fetch()|} + 1;

                private static int Fetch() => Task.Run(() => 41).Result;
            }
            """, new[] { ".Result", "Load", " (through 'Fetch')", Await }),

        new CorpusCase("R39 Task.WaitAll in a step", Truth.Racy, """
            [Workflow]
            public partial class Blocking
            {
                [Step] public void Load(Task a, Task b) => {|FLOW004:Task.WaitAll(a, b)|};
            }
            """, new[] { "Task.WaitAll", "Load", "", "await Task.WhenAll instead" }),

        // ---------------------------------------------------------------- safe but tricky
        new CorpusCase("S01 Interlocked.Add in a foreach", Truth.Safe, """
            [Workflow]
            public partial class Totals
            {
                private int _total;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => Interlocked.Add(ref _total, item);

                [Step] public int Total() => Volatile.Read(ref _total);
            }
            """),

        new CorpusCase("S02 lock around a compound add", Truth.Safe, """
            [Workflow]
            public partial class Totals
            {
                private readonly object _gate = new();
                private int _total;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) { lock (_gate) { _total += item; } }
            }
            """),

        new CorpusCase("S03 foreach of degree 1", Truth.Safe, """
            [Workflow]
            public partial class Totals
            {
                private int _total;
                private readonly List<int> _seen = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items), MaxDegreeOfParallelism = 1)]
                public void Accumulate(int item) { _total += item; _seen.Add(item); }
            }
            """),

        new CorpusCase("S04 group members only read", Truth.Safe, """
            [Workflow]
            public partial class Readers
            {
                private string _region = "eu";
                private readonly Dictionary<string, int> _prices = new() { ["tea"] = 3 };

                public void Configure(string region) => _region = region;

                [Step, Parallel("g")] public int A() => _region.Length + _prices["tea"];
                [Step, Parallel("g")] public bool B() => _region == "eu" && _prices.TryGetValue("tea", out _) && _prices.Count > 0;
            }
            """),

        new CorpusCase("S05 sequential stages are ordered", Truth.Safe, """
            [Workflow]
            public partial class Ordered
            {
                private int _x;
                private readonly List<int> _list = new();

                [Step] public void A() { _x = 1; _list.Add(1); }
                [Step] public int B() { _list.Add(2); return _x; }
            }
            """),

        new CorpusCase("S06 a list per item", Truth.Safe, """
            [Workflow]
            public partial class Locals
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(int item)
                {
                    var list = new List<int> { item };
                    var text = new StringBuilder();
                    text.Append(item);
                    list.Add(text.Length);
                    return list.Sum();
                }
            }
            """),

        new CorpusCase("S07 concurrent collections", Truth.Safe, """
            [Workflow]
            public partial class Concurrent
            {
                private readonly System.Collections.Concurrent.ConcurrentBag<int> _bag = new();
                private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _counts = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item)
                {
                    _bag.Add(item);
                    _counts.AddOrUpdate(item, 1, (_, n) => n + 1);
                }
            }
            """),

        new CorpusCase("S08 Random.Shared", Truth.Safe, """
            [Workflow]
            public partial class Dice
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(int item) => Random.Shared.Next(item);
            }
            """),

        new CorpusCase("S09 a [ThreadSafe] type", Truth.Safe, """
            [ThreadSafe]
            public sealed class Probe
            {
                private int _max;
                public void Record(int value) { if (value > _max) _max = value; }
            }

            [Workflow]
            public partial class Probing(Probe probe)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => probe.Record(item);
            }
            """),

        new CorpusCase("S10 a [ThreadSafe] field", Truth.Safe, """
            [Workflow]
            public partial class Trusted
            {
                [ThreadSafe] private readonly List<int> _guardedElsewhere = new();
                [ThreadSafe] private int _approximate;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) { _guardedElsewhere.Add(item); _approximate++; }
            }
            """),

        new CorpusCase("S11 array elements at context.Index", Truth.Safe, """
            [Workflow]
            public partial class Slots
            {
                private int[] _results = new int[3];

                [Step] public int[] Items() => new[] { 1, 2, 3 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item, StepContext context)
                {
                    var i = context.Index;
                    _results[i] = item * 2;
                    _results[context.Index] += 1;
                }
            }
            """),

        new CorpusCase("S12 array elements at the item's own index", Truth.Safe, """
            [Workflow]
            public partial class Squares
            {
                private readonly int[] _squares = new int[4];

                [Step] public int[] Indexes() => new[] { 0, 1, 2, 3 };

                [ParallelForEach(nameof(Indexes))]
                public void Accumulate(int i) => _squares[i] = i * i;
            }
            """),

        new CorpusCase("S13 SemaphoreSlim(1, 1) as an async lock", Truth.Safe, """
            [Workflow]
            public partial class AsyncLock
            {
                private readonly SemaphoreSlim _gate = new(1, 1);
                private readonly List<int> _done = new();
                private int _n;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public async Task Accumulate(int item, CancellationToken ct)
                {
                    await _gate.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        _n += item;
                        _done.Add(item);
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
            }
            """),

        new CorpusCase("S14 Monitor.Enter and Exit", Truth.Safe, """
            [Workflow]
            public partial class Monitored
            {
                private readonly object _gate = new();
                private readonly List<int> _list = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item)
                {
                    var taken = false;
                    try
                    {
                        Monitor.Enter(_gate, ref taken);
                        _list.Add(item);
                    }
                    finally
                    {
                        if (taken) Monitor.Exit(_gate);
                    }
                }
            }
            """),

        new CorpusCase("S15 HttpClient requests from two members", Truth.Safe, """
            [Workflow]
            public partial class Fetch
            {
                private readonly System.Net.Http.HttpClient _http = new();

                [Step, Parallel("g")] public Task<string> A(CancellationToken ct) => _http.GetStringAsync("https://example.com/a", ct);
                [Step, Parallel("g")] public Task<System.Net.Http.HttpResponseMessage> B(CancellationToken ct) => _http.GetAsync("https://example.com/b", ct);
            }
            """),

        new CorpusCase("S16 a DbContext per item from IDbContextFactory", Truth.Safe, """
            [Workflow]
            public partial class Save(Microsoft.EntityFrameworkCore.IDbContextFactory<ShopContext> factory)
            {
                [Step] public string[] Items() => new[] { "a", "b" };

                [ParallelForEach(nameof(Items))]
                public async Task Accumulate(string item, CancellationToken ct)
                {
                    var db = factory.CreateDbContext();
                    db.Orders.Add(item);
                    await db.SaveChangesAsync(ct);
                }
            }
            """ + EntityFramework),

        new CorpusCase("S17 volatile read against Interlocked", Truth.Safe, """
            [Workflow]
            public partial class Watch
            {
                private int _done;

                [Step, Parallel("g")] public void Work() => Interlocked.Increment(ref _done);
                [Step, Parallel("g")] public int Peek() => Volatile.Read(ref _done) + _done;
            }
            """),

        new CorpusCase("S18 the foreach item is mutated", Truth.Safe, """
            public sealed class Job { public bool Done; public int Tries; }

            [Workflow]
            public partial class Jobs
            {
                [Step] public Job[] Items() => new[] { new Job(), new Job() };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(Job item) { item.Done = true; item.Tries++; }
            }
            """),

        new CorpusCase("S19 ReaderWriterLockSlim", Truth.Safe, """
            [Workflow]
            public partial class ReadWrite
            {
                private readonly ReaderWriterLockSlim _lock = new();
                private readonly Dictionary<string, int> _map = new();

                [Step, Parallel("g")]
                public void Writer()
                {
                    _lock.EnterWriteLock();
                    try { _map["a"] = 1; } finally { _lock.ExitWriteLock(); }
                }

                [Step, Parallel("g")]
                public int Reader()
                {
                    _lock.EnterReadLock();
                    try { return _map.Count; } finally { _lock.ExitReadLock(); }
                }
            }
            """),

        new CorpusCase("S20 Dataflow steps on one path", Truth.Safe, """
            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Chain
            {
                private int _x;

                [Step] public int A() => _x = 1;
                [Step] public int B(int a) => _x += a;
                [Step, After(nameof(B))] public void C() => _x = 0;
            }
            """),

        new CorpusCase("S21 lock taken inside a shared helper", Truth.Safe, """
            [Workflow]
            public partial class Helped
            {
                private readonly object _gate = new();
                private readonly List<string> _events = new();

                [Step, Parallel("g")] public void A() => Record("a");
                [Step, Parallel("g")] public void B() => Record("b");

                private void Record(string name) { lock (_gate) { _events.Add(name); } }
            }
            """),

        new CorpusCase("S22 a volatile flag", Truth.Safe, """
            [Workflow]
            public partial class Stop
            {
                private volatile bool _stop;

                [Step, Parallel("g")] public void A() => _stop = true;
                [Step, Parallel("g")] public bool B() => _stop;
            }
            """),

        new CorpusCase("S23 members write their own fields", Truth.Safe, """
            [Workflow]
            public partial class Separate
            {
                private int _a;
                private int _b;
                private readonly List<int> _left = new();
                private readonly List<int> _right = new();

                [Step, Parallel("g")] public void A() { _a++; _left.Add(1); }
                [Step, Parallel("g")] public void B() { _b++; _right.Add(2); }
            }
            """),

        new CorpusCase("S24 ThreadLocal<Random>", Truth.Safe, """
            [Workflow]
            public partial class PerThread
            {
                private readonly ThreadLocal<Random> _random = new(() => new Random());

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(int item) => _random.Value!.Next(item);
            }
            """),

        new CorpusCase("S25 lock (this) on both sides", Truth.Safe, """
            [Workflow]
            public partial class Self
            {
                private int _n;

                [Step, Parallel("g")] public void A() { lock (this) { _n++; } }
                [Step, Parallel("g")] public int B() { lock (this) { return _n; } }
            }
            """),

        new CorpusCase("S26 static lookups only read", Truth.Safe, """
            [Workflow]
            public partial class Codes
            {
                private static readonly Dictionary<string, int> s_codes = new() { ["a"] = 1 };
                private static readonly HashSet<string> s_known = new() { "a" };

                [Step] public string[] Items() => new[] { "a", "b" };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(string item) => s_known.Contains(item) && s_codes.TryGetValue(item, out var code) ? code : 0;
            }
            """),

        new CorpusCase("S27 channel writer", Truth.Safe, """
            [Workflow]
            public partial class Produce
            {
                private readonly System.Threading.Channels.Channel<int> _channel = System.Threading.Channels.Channel.CreateUnbounded<int>();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public bool Accumulate(int item) => _channel.Writer.TryWrite(item);
            }
            """),

        new CorpusCase("S28 immutable and frozen collections", Truth.Safe, """
            [Workflow]
            public partial class Frozen
            {
                private readonly System.Collections.Frozen.FrozenSet<int> _allowed = System.Collections.Frozen.FrozenSet.ToFrozenSet(new[] { 1, 2 });
                private readonly System.Collections.Immutable.ImmutableArray<int> _weights = System.Collections.Immutable.ImmutableArray.Create(1, 2);

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(int item) => _allowed.Contains(item) ? _weights[0] : 0;
            }
            """),

        new CorpusCase("S29 state set up in the constructor, read by steps", Truth.Safe, """
            [Workflow]
            public partial class Configured
            {
                private readonly List<string> _names;
                private int _limit;

                public Configured() { _names = new List<string> { "a" }; _limit = 3; }

                [Step, Parallel("g")] public int A() => _names.Count + _limit;
                [Step, Parallel("g")] public bool B() => _names.Contains("a") && _limit > 0;
            }
            """),

        new CorpusCase("S30 shared input only read by members", Truth.Safe, """
            [Workflow]
            public partial class ReadInput
            {
                [Step, Parallel("g")] public int A(List<int> numbers) => numbers.Sum();
                [Step, Parallel("g")] public int B(List<int> numbers) => numbers.Count + numbers[0];
            }
            """),

        new CorpusCase("S31 each member gets its own output", Truth.Safe, """
            [Workflow]
            public partial class OwnOutput
            {
                [Step, Parallel("load")] public List<int> Left() => new() { 1 };
                [Step, Parallel("load")] public List<int> Right() => new() { 2 };

                [Step, Parallel("use")] public void A(List<int> left) => left.Add(3);
                [Step, Parallel("use")] public void B(List<int> right) => right.Add(4);
            }
            """),

        new CorpusCase("S32 Result after await Task.WhenAll", Truth.Safe, """
            [Workflow]
            public partial class Awaited
            {
                [Step]
                public async Task<int> Load(Task<int> first, Task<int> second)
                {
                    await Task.WhenAll(first, second);
                    return first.Result + second.Result;
                }
            }
            """),

        new CorpusCase("S33 Result on tasks of a list awaited with WhenAll", Truth.Safe, """
            [Workflow]
            public partial class AwaitedList
            {
                [Step]
                public async Task<int> Load(IReadOnlyList<Task<int>> tasks)
                {
                    await Task.WhenAll(tasks);
                    var sum = tasks.Sum(t => t.Result) + tasks[0].Result;
                    foreach (var task in tasks) sum += task.Result;
                    return sum;
                }
            }
            """),

        new CorpusCase("S34 Result after await, in ContinueWith and under IsCompleted", Truth.Safe, """
            [Workflow]
            public partial class Completed
            {
                [Step]
                public async Task<int> Load(Task<int> pending)
                {
                    var quick = pending.IsCompletedSuccessfully ? pending.Result : 0;
                    var next = await pending.ContinueWith(t => t.Result + 1);
                    await pending;
                    return quick + next + pending.Result + pending.GetAwaiter().GetResult();
                }
            }
            """),

        new CorpusCase("S35 Result of the task WhenAny returned", Truth.Safe, """
            [Workflow]
            public partial class First
            {
                [Step]
                public async Task<int> Load(Task<int> a, Task<int> b)
                {
                    var winner = await Task.WhenAny(a, b);
                    return winner.Result;
                }
            }
            """),

        new CorpusCase("S36 Thread.Sleep outside any step", Truth.Safe, """
            [Workflow]
            public partial class Outside
            {
                [Step] public Task Load(CancellationToken ct) => Task.Delay(10, ct);

                public static void Pause() => Thread.Sleep(10);
            }
            """),
        // ---------------------------------------------------------------- hooks: they run around every step and item
        new CorpusCase("R42 hook counts completed steps of a group", Truth.Racy, """
            [Workflow]
            public partial class Counted
            {
                private int _done;

                [Step, Parallel("g")] public int A() => 1;
                [Step, Parallel("g")] public int B() => 2;

                partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => {|FLOW002,#0:{|#0:_done|}|}++;
            }
            """, new[] { "_done", "written by 'OnStepCompleted' for steps that run at the same time", InterlockedIncrement }),

        new CorpusCase("R43 hook logs into a list around foreach items", Truth.Racy, """
            [Workflow]
            public partial class Logged
            {
                private readonly List<string> _log = new();

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))] public int Square(int item) => item * item;

                partial void OnStepStarting(in StepContext context) => {|FLOW003,#0:{|#0:_log.Add(context.Step)|}|};
            }
            """, new[] { "_log", "List<string>", "modified (Add) by 'OnStepStarting' for steps that run at the same time", Collection }),

        new CorpusCase("R44 a group member writes what a hook reads", Truth.Racy, """
            [Workflow]
            public partial class Watched
            {
                private string _status = "";

                [Step, Parallel("g")] public void A() => {|FLOW002,#0:_status|} = "a";
                [Step, Parallel("g")] public int B() => 2;

                partial void OnStepStarting(in StepContext context) => Console.WriteLine({|#0:_status|});
            }
            """, new[] { "_status", "written by 'A' and read by 'OnStepStarting', which may run at the same time", Lock }),

        new CorpusCase("R45 mutation behind an interface implemented in this compilation", Truth.Racy, """
            public interface ISink { void Write(int value); }
            public sealed class ListSink : ISink
            {
                private readonly List<int> _values = new();
                public void Write(int value) => _values.Add(value);
            }

            [Workflow]
            public partial class Virtual(ISink sink)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW003,#0:{|#0:sink.Write(item)|}|};
            }
            """, new[] { "sink._values", "List<int>", "modified (Add) by 'Accumulate' on several items at once", Collection }),

        new CorpusCase("R46 mutation in the override of an abstract method", Truth.Racy, """
            public abstract class Sink { public abstract void Write(int value); }
            public sealed class ListSink : Sink
            {
                private readonly List<int> _values = new();
                public override void Write(int value) => _values.Add(value);
            }

            [Workflow]
            public partial class Virtual(Sink sink)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW003,#0:{|#0:sink.Write(item)|}|};
            }
            """, new[] { "sink._values", "List<int>", "modified (Add) by 'Accumulate' on several items at once", Collection }),

        new CorpusCase("R47 one list reached through two fields", Truth.Racy, """
            [Workflow]
            public partial class TwoNames
            {
                private readonly List<int> _x;
                private readonly List<int> _y;

                public TwoNames() => _x = _y = new List<int>();

                [Step, Parallel("g")] public void A() => {|FLOW003,#0:_x.Add(1)|};
                [Step, Parallel("g")] public void B() => {|#0:_y.Add(2)|};
            }
            """, new[] { "_x (the same object as _y)", "List<int>", "modified (Add) by 'A' and modified (Add) by 'B', which may run at the same time", Collection }),

        new CorpusCase("R48 two fields set from one constructor parameter", Truth.Racy, """
            [Workflow]
            public partial class Shared(Dictionary<string, int> counts)
            {
                private readonly Dictionary<string, int> _byName = counts;
                private readonly Dictionary<string, int> _byCode = counts;

                [Step, Parallel("g")] public void A() => {|FLOW003,#0:_byName["a"]|} = 1;
                [Step, Parallel("g")] public int B() => {|#0:_byCode.Count|};
            }
            """, new[] { "_byName (the same object as _byCode)", "Dictionary<string, int>", "modified (indexer) by 'A' and read (Count) by 'B', which may run at the same time", Collection }),

        new CorpusCase("S37 hook counts steps of a sequential workflow", Truth.Safe, """
            [Workflow]
            public partial class Sequential
            {
                private int _done;

                [Step] public int A() => 1;
                [Step] public int B(int a) => a + 1;

                partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => _done++;
            }
            """),

        new CorpusCase("S38 hook counts with Interlocked around a group", Truth.Safe, """
            [Workflow]
            public partial class Atomic
            {
                private int _done;

                [Step, Parallel("g")] public int A() => 1;
                [Step, Parallel("g")] public int B() => 2;

                partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Interlocked.Increment(ref _done);
            }
            """),

        new CorpusCase("S39 an interface whose implementation locks", Truth.Safe, """
            public interface ISink { void Write(int value); }
            public sealed class LockedSink : ISink
            {
                private readonly object _gate = new();
                private readonly List<int> _values = new();
                public void Write(int value) { lock (_gate) { _values.Add(value); } }
            }

            [Workflow]
            public partial class Virtual(ISink sink)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => sink.Write(item);
            }
            """),

        new CorpusCase("S40 an interface implemented only outside this compilation", Truth.Safe, """
            [Workflow]
            public partial class Reporting(IProgress<int> progress)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => progress.Report(item);
            }
            """),

        new CorpusCase("S41 two fields, two lists", Truth.Safe, """
            [Workflow]
            public partial class TwoLists
            {
                private readonly List<int> _x;
                private readonly List<int> _y;

                public TwoLists() { _x = new List<int>(); _y = new List<int>(); }

                [Step, Parallel("g")] public void A() => _x.Add(1);
                [Step, Parallel("g")] public void B() => _y.Add(2);
            }
            """),

        new CorpusCase("S42 one list under two names, only read", Truth.Safe, """
            [Workflow]
            public partial class Copies
            {
                private readonly List<int> _x = new();
                private List<int> _y;

                public Copies() => _y = _x;

                [Step, Parallel("g")] public int A() => _x.Count;
                [Step, Parallel("g")] public int B() => _y.Count;
            }
            """),
    };
}
