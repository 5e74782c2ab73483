using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// What a walk sees of its callees (<see cref="Callees"/>): which have a body to follow, their summaries one call
/// deeper up to <see cref="SummaryCache.MaxDepth"/>, the implementations of an interface method up to
/// <see cref="SummaryCache.MaxImplementations"/>, and which semaphores admit one holder.
/// </summary>
public class CalleesTests
{
    private const string Source = """
        public class Calls
        {
            private int _n;
            private readonly SemaphoreSlim _one = new(1, 1);
            private readonly SemaphoreSlim _three = new SemaphoreSlim(3);
            private readonly SemaphoreSlim _assigned;

            public Calls() => _assigned = new SemaphoreSlim(1);

            public void Leaf() => _n++;

            public void Caller() => Leaf();

            public void Bcl() => Console.WriteLine();
        }

        public abstract class Shape
        {
            public abstract int Area();
        }

        public interface ISink { void Write(int value); }
        """;

    [Fact]
    public void A_method_has_a_body_to_follow_only_in_this_compilation_s_own_code()
    {
        var fixture = WalkerFixture.Compile(Source, ("Generated.g.cs", "public partial class Made { public void Run() { } }"));
        var callees = fixture.Callees();
        Assert.True(callees.HasBody(fixture.Method("Calls.Leaf")));
        Assert.False(callees.HasBody(fixture.Method("Shape.Area")));
        Assert.False(callees.HasBody(fixture.Method("Made.Run")));
        var writeLine = fixture.Compilation.GetTypeByMetadataName("System.Console")!.GetMembers("WriteLine").OfType<IMethodSymbol>().First();
        Assert.False(callees.HasBody(writeLine));
    }

    [Fact]
    public void A_callee_within_MaxDepth_is_summarized()
    {
        var fixture = WalkerFixture.Compile(Source);
        var summary = fixture.Callees(depth: SummaryCache.MaxDepth - 1).SummaryOf(fixture.Method("Calls.Leaf"), out var truncated);
        Assert.False(truncated);
        Assert.Equal("This:_n", WalkerFixture.Show(Assert.Single(summary.Accesses).Key.Path));
    }

    [Fact]
    public void A_callee_past_MaxDepth_is_cut_off()
    {
        var fixture = WalkerFixture.Compile(Source);
        var summary = fixture.Callees(depth: SummaryCache.MaxDepth).SummaryOf(fixture.Method("Calls.Leaf"), out var truncated);
        Assert.True(truncated);
        Assert.Empty(summary.Accesses);
    }

    [Fact]
    public void A_callee_whose_own_callee_is_past_MaxDepth_is_cut_off_too()
    {
        var fixture = WalkerFixture.Compile(Source);
        var summary = fixture.Callees(depth: SummaryCache.MaxDepth - 1).SummaryOf(fixture.Method("Calls.Caller"), out var truncated);
        Assert.True(truncated);
        Assert.Empty(summary.Accesses);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(SummaryCache.MaxImplementations, SummaryCache.MaxImplementations)]
    [InlineData(SummaryCache.MaxImplementations + 1, 0)]
    public void An_interface_method_runs_one_of_its_implementations_unless_there_are_too_many(int declared, int followed)
    {
        var implementations = string.Join("\n", Enumerable.Range(0, declared).Select(i => $"public class Sink{i} : ISink {{ public void Write(int value) {{ }} }}"));
        var fixture = WalkerFixture.Compile(Source + implementations);
        Assert.Equal(followed, fixture.Callees().ImplementationsOf(fixture.Method("ISink.Write")).Length);
    }

    [Theory]
    [InlineData("_one", true)]
    [InlineData("_three", false)]
    [InlineData("_assigned", true)]
    public void A_semaphore_created_with_one_slot_admits_one_holder(string field, bool mutex)
    {
        var fixture = WalkerFixture.Compile(Source);
        var storage = fixture.Compilation.GetTypeByMetadataName("Calls")!.GetMembers(field).Single();
        Assert.Equal(mutex, fixture.Callees().IsMutexSemaphore(storage));
    }
}
