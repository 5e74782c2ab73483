using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>What each local stands for (<see cref="LocalValues"/>): the one value it was given, or nothing.</summary>
public class LocalValuesTests
{
    private const string Source = """
        public class Locals
        {
            private List<int> _items = new();
            private List<int> _other = new();

            public void M()
            {
                var once = _items;
                var twice = _items;
                twice = _other;
                List<int> declaredThenAssigned;
                declaredThenAssigned = _items;
                List<int> declaredTwice;
                if (once.Count > 0) declaredTwice = _items; else declaredTwice = _other;
                var counter = 0;
                counter++;
                var sum = 0;
                sum += 2;
                List<int>? lazy = null;
                lazy ??= _items;
                var byRef = 0;
                Interlocked.Increment(ref byRef);
                var (left, right) = (_items, _other);
                var tupled = _items;
                (tupled, _) = (_other, 1);
                int.TryParse("1", out var parsed);
                var fromCall = _items.Count;
            }
        }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);
    private static readonly IOperation s_body = s_fixture.Body(s_fixture.Method("Locals.M"));
    private static readonly LocalValues s_locals = LocalValues.Of(s_body);

    [Theory]
    [InlineData("once", "_items")]
    [InlineData("fromCall", "_items.Count")]
    [InlineData("declaredThenAssigned", "_items")]
    public void A_local_given_one_value_stands_for_it(string local, string value) =>
        Assert.Equal(value, s_locals.ValueOf(WalkerFixture.Local(s_body, local))?.Syntax.ToString());

    [Theory]
    [InlineData("twice")]
    [InlineData("declaredTwice")]
    [InlineData("counter")]
    [InlineData("sum")]
    [InlineData("lazy")]
    [InlineData("byRef")]
    [InlineData("tupled")]
    public void A_local_given_more_than_one_value_stands_for_nothing(string local) =>
        Assert.Null(s_locals.ValueOf(WalkerFixture.Local(s_body, local)));

    [Fact]
    public void Locals_declared_by_a_deconstruction_or_an_out_var_stand_for_nothing()
    {
        var declared = s_body.DescendantsAndSelf()
            .OfType<ILocalReferenceOperation>()
            .Where(l => l.Local.Name is "left" or "right" or "parsed")
            .Select(l => l.Local)
            .ToArray();
        Assert.Equal(3, declared.Length);
        Assert.All(declared, local => Assert.Null(s_locals.ValueOf(local)));
    }
}
