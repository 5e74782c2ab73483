using System.Collections.Immutable;
using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// What <see cref="AccessRecorder"/> records: shared storage with the locks held, not what belongs to one invocation;
/// read-only and volatile storage; what a thread-safe type, <c>[ThreadSafe]</c> or <c>[ThreadStatic]</c> protects;
/// a callee's accesses seen at the call; and no more than <see cref="AccessRecorder.MaxAccesses"/>.
/// </summary>
public class AccessRecorderTests
{
    private const string Source = """
        public class Shared
        {
            private int _count;
            private readonly int _fixed = 1;
            private volatile bool _stop;
            private ConcurrentDictionary<string, int> _map = new();
            [ThreadSafe] private List<int> _marked = new();
            [ThreadStatic] private static int t_perThread;
            private System.Net.Http.HttpClient _client = new();
            private Counter _counter = new();

            public void M(int byValue, ref int byRef)
            {
                _count = 1;
                var read = _fixed;
                _stop = true;
                var local = 0;
                local = 2;
                byValue = 3;
                byRef = 4;
                _map["a"] = 1;
                _marked.Add(1);
                t_perThread++;
                _client.DefaultRequestHeaders.Add("a", "b");
                Bump(_counter);
                Twice(_counter);
            }

            private static void Bump(Counter c) => c.N++;

            private static void Twice(Counter c)
            {
                c.N = 1;
                c.N = 2;
            }
        }

        public class Counter { public int N; }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);
    private static readonly IMethodSymbol s_method = s_fixture.Method("Shared.M");
    private static readonly IOperation s_body = s_fixture.Body(s_method);
    private static readonly PathResolver s_paths = s_fixture.Paths(s_method);

    [Fact]
    public void Records_a_write_of_a_field_with_the_locks_held_and_where_it_is()
    {
        var (recorder, locks) = Recorder();
        locks.Acquire(new LockRef(AccessPath.This, exclusive: true));
        var field = Field("_count");
        recorder.Record(s_paths.PathOf(field), Facet.Storage, AccessKind.Write, field);

        var access = Assert.Single(recorder.ToImmutable());
        Assert.Equal("This:_count", WalkerFixture.Show(access.Key.Path));
        Assert.Equal(AccessKind.Write, access.Kind);
        Assert.False(access.Atomic);
        Assert.Equal(new[] { "This:this" }, access.Locks.Select(l => WalkerFixture.Show(l.Path)));
        Assert.Equal(field.Syntax.Span, access.Location.SourceSpan);
    }

    [Fact]
    public void Drops_what_belongs_to_one_invocation_and_keeps_a_ref_parameter()
    {
        var (recorder, _) = Recorder();
        var local = WalkerFixture.Find<ILocalReferenceOperation>(s_body, "local");
        recorder.Record(s_paths.PathOf(local, localsAsRoots: true), Facet.Storage, AccessKind.Write, local);
        var byValue = WalkerFixture.Find<IParameterReferenceOperation>(s_body, "byValue");
        recorder.Record(s_paths.PathOf(byValue), Facet.Storage, AccessKind.Write, byValue);
        recorder.Record(AccessPath.This, Facet.Storage, AccessKind.Write, byValue);
        recorder.Record(null, Facet.Storage, AccessKind.Write, byValue);
        Assert.Empty(recorder.ToImmutable());

        var byRef = WalkerFixture.Find<IParameterReferenceOperation>(s_body, "byRef");
        recorder.Record(s_paths.PathOf(byRef), Facet.Storage, AccessKind.Write, byRef);
        Assert.Equal("Parameter:byRef", WalkerFixture.Show(Assert.Single(recorder.ToImmutable()).Key.Path));
    }

    [Fact]
    public void A_read_of_read_only_storage_is_not_recorded_and_a_write_is()
    {
        var (recorder, _) = Recorder();
        var field = Field("_fixed");
        recorder.Record(s_paths.PathOf(field), Facet.Storage, AccessKind.Read, field);
        Assert.Empty(recorder.ToImmutable());
        recorder.Record(s_paths.PathOf(field), Facet.Storage, AccessKind.Write, field);
        Assert.Single(recorder.ToImmutable());
    }

    [Theory]
    [InlineData("Read", true)]
    [InlineData("Write", true)]
    [InlineData("ReadWrite", false)]
    public void A_plain_access_of_a_volatile_field_is_atomic_and_a_read_modify_write_is_not(string kind, bool atomic)
    {
        var (recorder, _) = Recorder();
        var field = Field("_stop");
        recorder.Record(s_paths.PathOf(field), Facet.Storage, Enum.Parse<AccessKind>(kind), field);
        Assert.Equal(atomic, Assert.Single(recorder.ToImmutable()).Atomic);
    }

    [Fact]
    public void A_thread_safe_type_protects_what_is_inside_it_not_the_field_that_holds_it()
    {
        var (recorder, _) = Recorder();
        var map = s_paths.PathOf(Field("_map"))!;
        Assert.True(recorder.IsProtected(map, Facet.Contents));
        Assert.False(recorder.IsProtected(map, Facet.Storage));
    }

    [Fact]
    public void A_member_marked_ThreadSafe_is_protected()
    {
        var (recorder, _) = Recorder();
        Assert.True(recorder.IsProtected(s_paths.PathOf(Field("_marked"))!, Facet.Storage));
        Assert.False(recorder.IsProtected(s_paths.PathOf(Field("_count"))!, Facet.Storage));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void A_ThreadStatic_field_is_protected_in_a_body_that_stays_on_one_thread(bool resumesElsewhere, bool isProtected)
    {
        var (recorder, _) = Recorder(resumesElsewhere);
        Assert.Equal(isProtected, recorder.IsProtected(s_paths.PathOf(Field("t_perThread"))!, Facet.Storage));
    }

    [Theory]
    [InlineData("_map", true)]
    [InlineData("_marked", true)]
    [InlineData("_client", false)]
    public void Says_which_receivers_synchronize_themselves(string field, bool synchronized)
    {
        var (recorder, _) = Recorder();
        Assert.Equal(synchronized, recorder.IsSynchronizedReceiver(Field(field)));
    }

    [Fact]
    public void A_change_of_DefaultRequestHeaders_is_a_change_of_the_client()
    {
        var (recorder, _) = Recorder();
        var headers = WalkerFixture.Find<IPropertyReferenceOperation>(s_body, "_client.DefaultRequestHeaders");
        var rule = s_fixture.Symbols.Table.RuleFor(headers.Type)!;
        recorder.RecordContents(headers, rule, AccessKind.Write, "Add", headers.Parent!);

        var access = Assert.Single(recorder.ToImmutable());
        Assert.Equal("This:_client", WalkerFixture.Show(access.Key.Path));
        Assert.Equal(Facet.Contents, access.Key.Facet);
        Assert.Equal("DefaultRequestHeaders.Add", access.Member);
        Assert.Equal("HttpClient", access.TypeName);
        Assert.Equal(ObjectCategory.HttpClient, access.Category);
    }

    [Fact]
    public void A_callee_s_accesses_are_recorded_in_terms_of_the_call()
    {
        var (recorder, locks) = Recorder();
        locks.Acquire(new LockRef(AccessPath.This, exclusive: true));
        var call = WalkerFixture.Find<IInvocationOperation>(s_body, "Bump(_counter)");
        var summary = s_fixture.Cache.Get(call.TargetMethod, CancellationToken.None);
        Assert.Equal("Parameter:c.N", WalkerFixture.Show(Assert.Single(summary.Accesses).Key.Path));

        recorder.RecordCall(call.TargetMethod, summary, call.Instance, call.Arguments, call.Syntax.GetLocation(), stopAfterFirst: false);
        var access = Assert.Single(recorder.ToImmutable());
        Assert.Equal("This:_counter.N", WalkerFixture.Show(access.Key.Path));
        Assert.Equal(AccessKind.ReadWrite, access.Kind);
        Assert.Equal(call.Syntax.Span, access.Location.SourceSpan);
        Assert.Equal(new[] { "This:this" }, access.Locks.Select(l => WalkerFixture.Show(l.Path)));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public void A_walk_already_cut_off_records_only_the_first_access_of_a_callee(bool stopAfterFirst, int recorded)
    {
        var (recorder, _) = Recorder();
        var call = WalkerFixture.Find<IInvocationOperation>(s_body, "Twice(_counter)");
        var summary = s_fixture.Cache.Get(call.TargetMethod, CancellationToken.None);
        recorder.RecordCall(call.TargetMethod, summary, call.Instance, call.Arguments, call.Syntax.GetLocation(), stopAfterFirst);
        Assert.Equal(recorded, recorder.ToImmutable().Length);
    }

    [Fact]
    public void Stops_at_MaxAccesses_and_says_it_was_cut_off()
    {
        var (recorder, _) = Recorder();
        var field = Field("_count");
        var path = s_paths.PathOf(field);
        for (var i = 0; i < AccessRecorder.MaxAccesses; i++)
        {
            recorder.Record(path, Facet.Storage, AccessKind.Write, field);
        }

        Assert.False(recorder.Truncated);
        recorder.Record(path, Facet.Storage, AccessKind.Write, field);
        Assert.True(recorder.Truncated);
        Assert.Equal(AccessRecorder.MaxAccesses, recorder.ToImmutable().Length);
    }

    private static (AccessRecorder Recorder, LockTracker Locks) Recorder(bool resumesElsewhere = false)
    {
        var locks = new LockTracker(s_fixture.Symbols, s_paths, s_fixture.Callees());
        return (new AccessRecorder(s_method, s_fixture.Symbols, s_paths, locks, resumesElsewhere), locks);
    }

    private static IFieldReferenceOperation Field(string name) => WalkerFixture.Find<IFieldReferenceOperation>(s_body, name);
}
