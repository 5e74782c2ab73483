using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>What <see cref="PathResolver"/> names: the path of an operation, and where an array index comes from.</summary>
public class PathResolverTests
{
    private const string Source = """
        public class Inner { public int x; public Inner? next; public int[] slots = new int[4]; }

        public static class Cache { public static List<int> s_items = new(); public const int Limit = 3; }

        public class Holder(int budget)
        {
            private Inner a = new();
            private int[] _slots = new int[8];
            private int _next;

            public int Budget() => budget;

            public void Paths(Inner p, int i, StepContext context)
            {
                var x1 = this.a.next;
                var local = a;
                var x2 = local.x;
                var copy = a;
                copy = new Inner();
                var x3 = copy.x;
                var x4 = p.x;
                var x5 = Cache.s_items;
                var x6 = Cache.Limit;
                var x7 = Random.Shared;
                lock (typeof(Holder)) { }
                object o = a;
                var x8 = (Inner)o;
                _slots[i] = 1;
                _slots[context.Index] = 2;
                _slots[3] = 3;
                var c = context.Index;
                _slots[c] = 4;
                _slots[Interlocked.Increment(ref _next)] = 5;
                _slots[Interlocked.Increment(ref _next) - 1] = 6;
                _slots[i * 2] = 7;
                a.slots[0] = 8;
                Func<Inner, int> f = q => q.x;
            }
        }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);
    private static readonly IMethodSymbol s_method = s_fixture.Method("Holder.Paths");
    private static readonly IOperation s_body = s_fixture.Body(s_method);
    private static readonly PathResolver s_paths = s_fixture.Paths(s_method);

    [Theory]
    [InlineData("this.a.next", "This:a.next")]
    [InlineData("local.x", "This:a.x")]
    [InlineData("p.x", "Parameter:p.x")]
    [InlineData("Cache.s_items", "Static:Cache.s_items")]
    [InlineData("typeof(Holder)", "Static:typeof(Holder)")]
    [InlineData("(Inner)o", "This:a")]
    [InlineData("a.slots", "This:a.slots")]
    [InlineData("_slots", "This:_slots")]
    public void Names_the_path_an_operation_reaches(string text, string path) =>
        Assert.Equal(path, WalkerFixture.Show(s_paths.PathOf(Operation(text))));

    [Theory]
    [InlineData("copy.x")]
    [InlineData("Cache.Limit")]
    [InlineData("Random.Shared")]
    [InlineData("_slots[i]")]
    [InlineData("q.x")]
    public void Names_no_path_where_there_is_none_to_share(string text) =>
        Assert.Equal("(none)", WalkerFixture.Show(s_paths.PathOf(Operation(text))));

    [Fact]
    public void With_locals_as_roots_a_local_is_its_own_root()
    {
        Assert.Equal("Local:local.x", WalkerFixture.Show(s_paths.PathOf(Operation("local.x"), localsAsRoots: true)));
        Assert.Equal("Local:q.x", WalkerFixture.Show(s_paths.PathOf(Operation("q.x"), localsAsRoots: true)));
    }

    [Fact]
    public void A_captured_primary_constructor_parameter_is_state_of_the_instance()
    {
        var method = s_fixture.Method("Holder.Budget");
        var body = s_fixture.Body(method);
        var reference = WalkerFixture.Find<IParameterReferenceOperation>(body, "budget");
        Assert.Equal("This:budget", WalkerFixture.Show(s_fixture.Paths(method).PathOf(reference)));
    }

    [Theory]
    [InlineData("_slots[i]", 1)]
    [InlineData("_slots[context.Index]", IndexSource.ItemIndex)]
    [InlineData("_slots[c]", IndexSource.ItemIndex)]
    [InlineData("_slots[Interlocked.Increment(ref _next)]", IndexSource.Claimed)]
    [InlineData("_slots[Interlocked.Increment(ref _next) - 1]", IndexSource.Claimed)]
    [InlineData("_slots[i * 2]", IndexSource.Unknown)]
    public void Says_where_an_index_comes_from(string element, int index) =>
        Assert.Equal(index, s_paths.IndexOf(WalkerFixture.Find<IArrayElementReferenceOperation>(s_body, element)));

    [Fact]
    public void A_constant_index_is_that_element()
    {
        Assert.Equal(IndexSource.Constant(3), s_paths.IndexOf(WalkerFixture.Find<IArrayElementReferenceOperation>(s_body, "_slots[3]")));
        Assert.Equal(IndexSource.Constant(0), s_paths.IndexOf(WalkerFixture.Find<IArrayElementReferenceOperation>(s_body, "a.slots[0]")));
    }

    /// <summary>
    /// A chain of locals each standing for the one before: the path is followed <see cref="PathResolver.MaxPathDepth"/>
    /// links (each local one, the field one, <c>this</c> one), no further.
    /// </summary>
    [Fact]
    public void Follows_a_path_through_at_most_MaxPathDepth_links()
    {
        // v0 = _f (a field of this: two links), then each further local one more.
        var longest = PathResolver.MaxPathDepth - 2;
        Assert.Equal("This:_f", ChainPath(longest));
        Assert.Equal("(none)", ChainPath(longest + 1));
    }

    /// <summary>An index is followed through <see cref="PathResolver.MaxIndexDepth"/> locals, no further.</summary>
    [Fact]
    public void Follows_an_index_through_at_most_MaxIndexDepth_locals()
    {
        Assert.Equal(IndexSource.ItemIndex, ChainIndex(PathResolver.MaxIndexDepth));
        Assert.Equal(IndexSource.Unknown, ChainIndex(PathResolver.MaxIndexDepth + 1));
    }

    private static IOperation Operation(string text) =>
        s_body.DescendantsAndSelf().Where(o => o.Syntax.ToString() == text && !o.IsImplicit && o is not IExpressionStatementOperation).OrderBy(o => o.Syntax.SpanStart).First();

    private static string ChainPath(int locals)
    {
        var declarations = string.Join(" ", Enumerable.Range(1, locals).Select(i => $"var v{i} = v{i - 1};"));
        var fixture = WalkerFixture.Compile($$"""
            public class Chain
            {
                private List<int> _f = new();

                public void M()
                {
                    var v0 = _f;
                    {{declarations}}
                    v{{locals}}.Add(1);
                }
            }
            """);
        var method = fixture.Method("Chain.M");
        var body = fixture.Body(method);
        var last = WalkerFixture.Find<ILocalReferenceOperation>(body, $"v{locals}");
        return WalkerFixture.Show(fixture.Paths(method).PathOf(last));
    }

    private static int ChainIndex(int locals)
    {
        var declarations = string.Join(" ", Enumerable.Range(2, locals - 1).Select(i => $"var i{i} = i{i - 1};"));
        var fixture = WalkerFixture.Compile($$"""
            public class Chain
            {
                private int[] _slots = new int[4];

                public void M(StepContext context)
                {
                    var i1 = context.Index;
                    {{declarations}}
                    _slots[i{{locals}}] = 1;
                }
            }
            """);
        var method = fixture.Method("Chain.M");
        var body = fixture.Body(method);
        return fixture.Paths(method).IndexOf(WalkerFixture.Find<IArrayElementReferenceOperation>(body, $"_slots[i{locals}]"));
    }
}
