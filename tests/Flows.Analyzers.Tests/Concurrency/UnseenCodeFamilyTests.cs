using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// The families of the "race analysis on code it has never seen" report, each in shapes other than its corpus cases
/// (RaceCorpus.Reports.cs): bad and good, asserted exactly (ID, location, additional location, message arguments).
/// </summary>
public class UnseenCodeFamilyTests
{
    private const string Usings = RaceCorpus.Usings;
    private const string Lock = "guard every access with the same lock, or return the value from the step instead of sharing it";
    private const string Await = "await the task instead";
    private const string InterlockedAdd = "use Interlocked.Add, or return the value from the step";
    private const string InterlockedIncrement = "use Interlocked.Increment, or return the value from the step";

    // ------------------------------------------------ 1. ref arguments: publication helpers and helpers followed

    [Fact]
    public Task Publication_helpers_on_a_static_and_an_instance_field_are_atomic() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Published
            {
                private static System.Collections.Immutable.ImmutableDictionary<string, int> s_counts = System.Collections.Immutable.ImmutableDictionary<string, int>.Empty;
                private List<int>? _list;
                private object? _sync;
                private bool _ready;

                [Step, Parallel("g")] public int A() => System.Collections.Immutable.ImmutableInterlocked.AddOrUpdate(ref s_counts, "a", 1, (_, n) => n + 1);
                [Step, Parallel("g")] public int B() => System.Collections.Immutable.ImmutableInterlocked.GetOrAdd(ref s_counts, "b", 2);
                [Step, Parallel("g")] public int C() => LazyInitializer.EnsureInitialized(ref _list, ref _ready, ref _sync, () => new List<int>()).Count;
                [Step, Parallel("g")] public int D() => LazyInitializer.EnsureInitialized(ref _list, ref _ready, ref _sync, () => new List<int>()).Capacity;
            }
            """);

    [Fact]
    public Task A_publication_helper_against_a_plain_write_races() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Reset
            {
                private List<int>? _cache;

                [Step, Parallel("g")] public int A() => LazyInitializer.EnsureInitialized(ref {|FLOW002,#0:_cache|}).Count;
                [Step, Parallel("g")] public void B() => {|#0:_cache|} = null;
            }
            """,
            new[] { "_cache", "written by 'A' and written by 'B', which may run at the same time", Lock });

    [Fact]
    public Task A_ref_helper_that_adds_plainly_is_followed_and_flagged_at_the_call() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Sum
            {
                private int _total;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item) => {|FLOW002,#0:{|#0:Add(ref _total, item)|}|};

                private static void Add(ref int total, int value) => total += value;
            }
            """,
            new[] { "_total", "written by 'Accumulate' on several items at once", InterlockedAdd });

    [Fact]
    public Task An_instance_ref_helper_using_Volatile_and_Interlocked_is_atomic() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Flags
            {
                private static int s_state;

                [Step, Parallel("g")] public void A() => Set(ref s_state, 1);
                [Step, Parallel("g")] public int B() => Get(ref s_state);

                private void Set(ref int target, int value) => Volatile.Write(ref target, value);
                private int Get(ref int target) => Interlocked.CompareExchange(ref target, 0, 0);
            }
            """);

    // ------------------------------------------------ 6. captured primary-constructor parameters

    [Fact]
    public Task A_captured_parameter_written_in_a_helper_is_reported_at_the_calls() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Tally(int seen)
            {
                [Step, Parallel("g")] public void A() => {|FLOW002,#0:Note()|};
                [Step, Parallel("g")] public void B() => {|#0:Note()|};

                private void Note() => seen += 1;
            }
            """,
            new[] { "seen", "written by 'A' and written by 'B', which may run at the same time", InterlockedAdd });

    [Fact]
    public Task A_captured_parameter_only_read_is_not_reported() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Limits(int limit, List<int> allowed)
            {
                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public bool Check(int item) => item < limit && allowed.Contains(item);
            }
            """);

    // ------------------------------------------------ 5. Monitor.TryEnter and the other try-locks

    [Fact]
    public Task TryEnter_with_an_early_return_and_the_try_locks_of_Lock_and_ReaderWriterLockSlim_are_locks() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Guarded
            {
                private static readonly object s_gate = new();
                private static int s_count;
                private readonly ReaderWriterLockSlim _rw = new();
                private readonly Dictionary<string, int> _map = new();

                [Step, Parallel("g")]
                public bool A()
                {
                    if (!Monitor.TryEnter(s_gate, 50)) return false;
                    try { s_count++; return true; }
                    finally { Monitor.Exit(s_gate); }
                }

                [Step, Parallel("g")]
                public int B()
                {
                    var taken = false;
                    try { Monitor.TryEnter(s_gate, ref taken); return taken ? s_count : -1; }
                    finally { if (taken) Monitor.Exit(s_gate); }
                }

                [Step, Parallel("g")]
                public void C()
                {
                    if (_rw.TryEnterWriteLock(10))
                    {
                        try { _map["c"] = 1; } finally { _rw.ExitWriteLock(); }
                    }
                }

                [Step, Parallel("g")]
                public int D() => _rw.TryEnterReadLock(10) ? ReadLocked() : 0;

                private int ReadLocked()
                {
                    try { return _map.Count; } finally { _rw.ExitReadLock(); }
                }
            }
            """);

    [Fact]
    public Task Code_in_the_false_branch_of_a_TryEnter_holds_no_lock() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Fallback
            {
                private readonly object _gate = new();
                private int _n;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public void Accumulate(int item)
                {
                    if (Monitor.TryEnter(_gate))
                    {
                        try { {|FLOW002,#0:_n|} += item; } finally { Monitor.Exit(_gate); }
                    }
                    else
                    {
                        {|#0:_n|} -= item;
                    }
                }
            }
            """,
            new[] { "_n", "written by 'Accumulate' on several items at once", InterlockedAdd });

    // ------------------------------------------------ 2. thread-local storage

    [Fact]
    public Task ThreadStatic_state_of_synchronous_group_members_and_their_helpers_is_per_thread() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Buffers
            {
                [ThreadStatic] private static List<int>? t_buffer;
                [ThreadStatic] private static int t_calls;

                [Step, Parallel("g")] public int A() => Fill(1);
                [Step, Parallel("g")] public int B() { t_calls++; return Fill(2); }
                [Step, Parallel("g")] public async Task<int> C() { await Task.CompletedTask; return 3; }

                private static int Fill(int n)
                {
                    var buffer = t_buffer ??= new List<int>();
                    buffer.Clear();
                    buffer.Add(n);
                    return buffer.Count + t_calls;
                }
            }
            """);

    [Fact]
    public Task ThreadStatic_state_touched_by_an_async_group_member_that_awaits_is_shared() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Resumed
            {
                [ThreadStatic] private static int t_depth;

                [Step, Parallel("g")]
                public async Task A(CancellationToken ct)
                {
                    {|FLOW002,#0:t_depth|}++;
                    await Task.Delay(1, ct);
                    t_depth--;
                }

                [Step, Parallel("g")]
                public async Task B(CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    {|#0:t_depth|} = 0;
                }
            }
            """,
            new[] { "Resumed.t_depth", "written by 'A' and written by 'B', which may run at the same time", InterlockedIncrement });

    // ------------------------------------------------ 3. array elements at constant indices

    [Fact]
    public Task Distinct_constant_slots_of_group_members_and_helpers_do_not_overlap() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Panel
            {
                private static readonly string[] s_names = new string[3];
                private readonly int[] _counts = new int[3];

                [Step, Parallel("g")] public void A() { s_names[0] = "a"; _counts[0]++; }
                [Step, Parallel("g")] public void B() { s_names[1] = "b"; Bump(1); }
                [Step, Parallel("g")] public void C() { s_names[2] = "c"; Bump(2); }

                private void Bump(int slot) => _counts[slot] += 1;
            }
            """);

    [Fact]
    public Task The_same_constant_slot_from_two_group_members_races() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Shared
            {
                private readonly int[] _counts = new int[3];

                [Step, Parallel("g")] public void A() => {|FLOW002,#0:_counts[2]|}++;
                [Step, Parallel("g")] public void B() => {|#0:Bump(2)|};

                private void Bump(int slot) => _counts[slot] += 1;
            }
            """,
            new[] { "_counts[]", "written by 'A' and written by 'B', which may run at the same time", InterlockedIncrement });

    // ------------------------------------------------ 4. task completion facts

    [Fact]
    public Task Results_the_code_has_shown_complete_do_not_block() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Known
            {
                [Step]
                public async Task<int> Load(Task<int> a, Task<int> b, CancellationToken ct)
                {
                    var first = await Task.WhenAny(a, b);
                    var sum = first != a ? 0 : a.GetAwaiter().GetResult();
                    if (first != b) return sum;
                    return sum + b.Result + Quick(a);
                }

                [Step]
                public int Peek(ValueTask<int> pending)
                {
                    if (pending.IsFaulted || pending.IsCanceled || !pending.IsCompleted) throw new InvalidOperationException();
                    return pending.Result;
                }

                private static int Quick(Task<int> t) => t.Status == TaskStatus.RanToCompletion && t.IsCompleted ? t.Result : -1;
            }
            """);

    [Fact]
    public Task Results_after_a_test_that_does_not_exit_or_the_wrong_branch_still_block() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Unknown
            {
                [Step]
                public async Task<int> Load(Task<int> a, Task<int> b)
                {
                    var first = await Task.WhenAny(a, b);
                    if (first == a) Console.WriteLine("a first");
                    var x = first == a ? 0 : {|FLOW004:a.Result|};
                    return x + {|FLOW004:b.Result|};
                }
            }
            """,
            new[] { ".Result", "Load", "", Await },
            new[] { ".Result", "Load", "", Await });

    // ------------------------------------------------ second corpus: values, facts and locks the code establishes

    // A local declared first and given its one value later (List<int> target; target = _items;) stands for that value,
    // as 'var target = _items;' does: found by the review of the walker split.
    [Fact]
    public Task A_local_declared_then_assigned_once_is_an_alias_of_its_value() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Tally
            {
                private readonly List<int> _items = new();

                [Step, Parallel("g")]
                public void A()
                {
                    List<int> target;
                    target = _items;
                    {|FLOW003,#0:target.Add(1)|};
                }

                [Step, Parallel("g")] public int B() => {|#0:_items.Count|};
            }
            """,
            new[] { "_items", "List<int>", "modified (Add) by 'A' and read (Count) by 'B', which may run at the same time", "use a concurrent collection (System.Collections.Concurrent), guard every use with the same lock, or return the values from the steps" });

    // Given a value on each branch, it stands for neither: no alias, no report (and no false alarm on the local itself).
    [Fact]
    public Task A_local_declared_then_assigned_on_two_branches_stands_for_nothing() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Tally
            {
                private readonly List<int> _items = new();

                [Step, Parallel("g")]
                public int A(bool fresh)
                {
                    List<int> target;
                    if (fresh) target = new List<int>(); else target = new List<int>(4);
                    target.Add(1);
                    return target.Count;
                }

                [Step, Parallel("g")] public int B() => 0;
            }
            """);

    [Fact]
    public Task Synchronized_methods_lock_this_or_the_type_and_meet_lock_statements_on_the_same() =>
        AnalyzerVerifier.VerifyAsync(Usings + """
            [Workflow]
            public partial class Journal
            {
                private static int s_total;
                private readonly List<string> _lines = new();

                [Step, Parallel("g")] public void A() { Add("a"); Count(); }
                [Step, Parallel("g")] public void B() { lock (this) { _lines.Add("b"); } lock (typeof(Journal)) { s_total++; } }

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.Synchronized)]
                private void Add(string line) => _lines.Add(line);

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.Synchronized)]
                private static void Count() => s_total++;
            }
            """);

    [Fact]
    public Task A_struct_copy_is_private_but_a_struct_field_written_in_place_is_not() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            public struct Pair { public int Left; public int Right; }

            [Workflow]
            public partial class Pairs
            {
                private Pair _pair;

                [Step] public int[] Items() => new[] { 1, 2 };

                [ParallelForEach(nameof(Items))]
                public int Accumulate(int item)
                {
                    var copy = _pair;
                    copy.Left += item;
                    {|FLOW002,#0:{|#0:_pair.Right|}|} += item;
                    return copy.Left;
                }
            }
            """,
            new[] { "_pair.Right", "written by 'Accumulate' on several items at once", InterlockedAdd });

    [Fact]
    public Task A_using_of_a_helper_that_returns_holding_a_monitor_is_a_lock_and_one_that_releases_is_not() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            public sealed class Gate
            {
                private readonly object _sync = new();

                public IDisposable Enter() { Monitor.Enter(_sync); return new Exit(_sync); }

                public IDisposable Peek() { Monitor.Enter(_sync); Monitor.Exit(_sync); return new Exit(new object()); }

                private sealed class Exit(object sync) : IDisposable { public void Dispose() => Monitor.Exit(sync); }
            }

            [Workflow]
            public partial class Gated
            {
                private readonly Gate _gate = new();
                private int _n;
                private int _m;

                [Step, Parallel("g")] public void A() { using (_gate.Enter()) { _n++; } using (_gate.Peek()) { {|FLOW002,#0:_m|}++; } }
                [Step, Parallel("g")] public void B() { using var scope = _gate.Enter(); _n--; {|#0:_m|}--; }
            }
            """,
            new[] { "_m", "written by 'A' and written by 'B', which may run at the same time", InterlockedIncrement });

    [Fact]
    public Task A_lock_object_replaced_by_a_group_member_guards_nothing_but_one_replaced_only_in_the_constructor_does() =>
        AnalyzerVerifier.VerifyAsync(
            Usings + """
            [Workflow]
            public partial class Swapped
            {
                private object _gate = new();
                private object _stable;
                private int _n;
                private int _m;

                public Swapped() => _stable = new object();

                [Step, Parallel("g")] public void A() { lock ({|FLOW002,#0:_gate|}) { {|FLOW002,#1:_n|}++; } lock (_stable) { _m++; } }
                [Step, Parallel("g")] public void B() { lock (_gate) { {|#1:_n|}--; {|#0:_gate|} = new object(); } lock (_stable) { _m--; } }
            }
            """,
            new[] { "_gate", "read by 'A' and written by 'B', which may run at the same time", Lock },
            new[] { "_n", "written by 'A' and written by 'B', which may run at the same time", InterlockedIncrement });
}
