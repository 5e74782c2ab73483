using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>The table of blocking members (<see cref="BlockingApis"/>): what it classifies, what it does not, and the advice.</summary>
public class BlockingApisTests
{
    private const string Source = """
        public class Calls
        {
            public async Task<int> M(Task<int> t, Task plain, ValueTask<int> v, SemaphoreSlim gate, Custom custom)
            {
                var a = t.Result;
                plain.Wait();
                var b = t.GetAwaiter().GetResult();
                var c = t.ConfigureAwait(false).GetAwaiter().GetResult();
                plain.GetAwaiter().GetResult();
                var d = v.Result;
                var e = v.GetAwaiter().GetResult();
                Thread.Sleep(10);
                Task.WaitAll(plain);
                Task.WaitAny(plain);
                await Task.Delay(10);
                await Task.WhenAll(plain);
                gate.Wait();
                custom.Wait();
                var f = custom.Result;
                return a + b + c + d + e + f;
            }
        }

        public class Custom
        {
            public int Result => 0;
            public void Wait() { }
        }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);

    private static IOperation Body => s_fixture.Body(s_fixture.Method("Calls.M"));

    [Theory]
    [InlineData("t.Result", "Result")]
    [InlineData("v.Result", "Result")]
    [InlineData("plain.Wait()", "Wait")]
    [InlineData("t.GetAwaiter().GetResult()", "GetResult")]
    [InlineData("t.ConfigureAwait(false).GetAwaiter().GetResult()", "GetResult")]
    [InlineData("plain.GetAwaiter().GetResult()", "GetResult")]
    [InlineData("v.GetAwaiter().GetResult()", "GetResult")]
    [InlineData("Thread.Sleep(10)", "Sleep")]
    [InlineData("Task.WaitAll(plain)", "WaitAll")]
    [InlineData("Task.WaitAny(plain)", "WaitAny")]
    public void Classifies_a_blocking_member(string call, string kind) =>
        Assert.Equal(kind, s_fixture.Symbols.BlockingApiOf(MemberAt(call))?.Kind.ToString());

    [Theory]
    [InlineData("Task.Delay(10)")]
    [InlineData("Task.WhenAll(plain)")]
    [InlineData("gate.Wait()")]
    [InlineData("custom.Wait()")]
    [InlineData("custom.Result")]
    [InlineData("t.GetAwaiter()")]
    [InlineData("t.ConfigureAwait(false)")]
    public void Does_not_classify_what_does_not_block_a_thread(string call) =>
        Assert.Null(s_fixture.Symbols.BlockingApiOf(MemberAt(call)));

    [Theory]
    [InlineData("t.Result", "t")]
    [InlineData("plain.Wait()", "plain")]
    [InlineData("t.GetAwaiter().GetResult()", "t")]
    [InlineData("t.ConfigureAwait(false).GetAwaiter().GetResult()", "t")]
    [InlineData("Thread.Sleep(10)", null)]
    [InlineData("Task.WaitAll(plain)", null)]
    public void Names_the_task_a_call_waits_for(string call, string? task)
    {
        var operation = OperationAt(call);
        var api = s_fixture.Symbols.BlockingApiOf(MemberOf(operation))!.Value;
        Assert.Equal(task, BlockingApis.TaskWaitedFor(api, operation)?.Syntax.ToString());
    }

    [Theory]
    [InlineData("Result", ".Result", "await the task instead")]
    [InlineData("Wait", ".Wait()", "await the task instead")]
    [InlineData("GetResult", "GetAwaiter().GetResult()", "await the task instead")]
    [InlineData("Sleep", "Thread.Sleep", "await Task.Delay instead")]
    [InlineData("WaitAll", "Task.WaitAll", "await Task.WhenAll instead")]
    [InlineData("WaitAny", "Task.WaitAny", "await Task.WhenAny instead")]
    public void Gives_each_kind_its_wording_and_async_alternative(string kind, string display, string advice)
    {
        var found = BlockingApis.AdviceFor(Enum.Parse<BlockingKind>(kind));
        Assert.Equal(display, found.Display);
        Assert.Equal(advice, found.Advice);
    }

    [Fact]
    public void Every_kind_has_one_advice_row_and_at_least_one_member()
    {
        foreach (var kind in Enum.GetValues<BlockingKind>())
        {
            Assert.Single(BlockingApis.Advice, a => a.Kind == kind);
            Assert.Contains(BlockingApis.Members, m => m.Kind == kind);
        }
    }

    /// <summary>No typo in the table: every row names a type of .NET 8 that declares the member with that shape.</summary>
    [Fact]
    public void Every_row_names_a_member_that_exists_as_described()
    {
        foreach (var row in BlockingApis.Members)
        {
            var type = s_fixture.Compilation.GetTypeByMetadataName(row.Type);
            Assert.True(type is not null, $"{row.Type} does not exist.");
            var members = type!.GetMembers(row.Member).Where(m => m.DeclaredAccessibility == Accessibility.Public).ToArray();
            Assert.True(members.Length > 0, $"{row.Type} has no public {row.Member}.");
            Assert.All(members, m =>
            {
                Assert.Equal(row.Static, m.IsStatic);
                Assert.Equal(row.Property, m is IPropertySymbol);
            });
        }

        Assert.Equal(BlockingApis.Members.Length, BlockingApis.Resolve(s_fixture.Compilation).Count);
    }

    /// <summary>
    /// The table covers every awaiter of System.Runtime.CompilerServices (what <c>GetAwaiter()</c> returns for a task,
    /// a ValueTask, a configured one, <c>Task.Yield()</c>): a <c>GetResult()</c> on any of them blocks until it completes.
    /// </summary>
    [Fact]
    public void Covers_the_GetResult_of_every_awaiter_of_the_framework()
    {
        var compilerServices = s_fixture.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter")!.ContainingNamespace;
        var awaiters = AllTypes(compilerServices)
            .Where(t => t.DeclaredAccessibility == Accessibility.Public && t.Name.EndsWith("Awaiter", StringComparison.Ordinal))
            .SelectMany(t => t.GetMembers("GetResult").OfType<IMethodSymbol>().Where(m => !m.IsStatic))
            .ToArray();
        Assert.True(awaiters.Length >= 9, $"Only {awaiters.Length} awaiters found.");
        Assert.All(awaiters, getResult => Assert.Equal(BlockingKind.GetResult, s_fixture.Symbols.BlockingApiOf(getResult)?.Kind));
    }

    /// <summary>Every Result, Wait, WaitAll and WaitAny of Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; is in the table.</summary>
    [Fact]
    public void Covers_every_waiting_member_of_the_task_types()
    {
        var names = new[] { "Result", "Wait", "WaitAll", "WaitAny" };
        var found = 0;
        foreach (var metadataName in new[] { "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1" })
        {
            var type = s_fixture.Compilation.GetTypeByMetadataName(metadataName)!;
            foreach (var member in names.SelectMany(name => type.GetMembers(name)).Where(m => m.DeclaredAccessibility == Accessibility.Public))
            {
                found++;
                Assert.True(s_fixture.Symbols.BlockingApiOf(member) is not null, $"{metadataName}.{member.Name} ({member}) is not in the table.");
            }
        }

        Assert.True(found >= 4);
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container) =>
        container.GetTypeMembers().SelectMany(t => new[] { t }.Concat(AllTypes(t)));

    private static IOperation OperationAt(string call) =>
        Body.DescendantsAndSelf()
            .Where(o => o is IInvocationOperation or IPropertyReferenceOperation && o.Syntax.ToString() == call)
            .OrderBy(o => o.Syntax.SpanStart)
            .First();

    private static ISymbol MemberAt(string call) => MemberOf(OperationAt(call));

    private static ISymbol MemberOf(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod,
        IPropertyReferenceOperation property => property.Property,
        _ => throw new InvalidOperationException(operation.Kind.ToString()),
    };
}
