using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// Which tasks <see cref="TaskCompletionFacts"/> knows have completed: what it learns as the walk meets an await,
/// <c>Task.WhenAll</c>, <c>Task.WhenAny</c>, a loop or a lambda over completed tasks, and what a test on the way to
/// a use establishes. The facts are fed here by hand, in the order a walk would feed them.
/// </summary>
public class TaskCompletionFactsTests
{
    private const string Source = """
        public class Tasks
        {
            public async Task<int> Awaited(Task<int> t, Task<int> other)
            {
                await t;
                return t.Result + other.Result;
            }

            public async Task<int> Configured(Task<int> t)
            {
                await t.ConfigureAwait(false);
                return t.Result;
            }

            public async Task<int> WhenAllOfSome(Task<int> a, Task<int> b, Task<int> c)
            {
                await Task.WhenAll(a, b);
                return a.Result + b.Result + c.Result;
            }

            public async Task<int> WhenAllOfAnArray(Task<int> a, Task<int> b)
            {
                await Task.WhenAll(new[] { a, b });
                return a.Result + b.Result;
            }

            public async Task<int> WhenAllOfAList(Task<int> a, Task<int> b)
            {
                var tasks = new List<Task<int>> { a, b };
                await Task.WhenAll(tasks);
                var sum = tasks[0].Result + tasks.First().Result + tasks.Select(t => t.Result).Sum();
                foreach (var t in tasks)
                {
                    sum += t.Result;
                }

                return sum;
            }

            public async Task<int> WhenAny(Task<int> a, Task<int> b)
            {
                var done = await Task.WhenAny(a, b);
                var winner = await Task.WhenAny(a, b);
                if (winner == a)
                {
                    return done.Result + a.Result;
                }

                return done.Result + b.Result;
            }

            public async Task<int> WhenAnyInline(Task<int> work, Task<int> other, Task timeout)
            {
                if (await Task.WhenAny(work, timeout) == work)
                {
                    return work.Result + other.Result;
                }

                if (await Task.WhenAny(other, timeout).ConfigureAwait(false) != other)
                {
                    return 0;
                }

                return other.Result;
            }

            public Task<int> Continued(Task<int> t) => t.ContinueWith(p => p.Result);

            public int Tested(Task<int> t, Task<int> u, bool flag)
            {
                var sum = 0;
                if (t.IsCompleted)
                {
                    sum += t.Result;
                }

                sum += t.IsCompletedSuccessfully ? t.Result : 0;
                sum += t.Status == TaskStatus.RanToCompletion ? t.Result : 0;
                sum += t.IsFaulted || flag ? 0 : t.Result;
                if (t.IsCompleted || flag)
                {
                    sum += t.Result;
                }

                if (u.IsCompleted && flag)
                {
                    sum += u.Result;
                }

                return sum;
            }

            public int EarlyExit(Task<int> t)
            {
                if (!t.IsCompletedSuccessfully)
                {
                    return 0;
                }

                return t.Result;
            }

            public async Task<int> Elsewhere(Task<Task<int>> nested)
            {
                var a = (await nested).Result;
                var b = Task.Run(() => 1).Result;
                return a + b;
            }
        }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);

    [Fact]
    public void A_task_awaited_is_complete_and_only_from_then_on()
    {
        var (facts, body) = Facts("Awaited");
        Assert.False(IsCompleted(facts, body, "t.Result"));
        facts.Awaited(Await(body));
        Assert.True(IsCompleted(facts, body, "t.Result"));
        Assert.False(IsCompleted(facts, body, "other.Result"));
    }

    [Fact]
    public void A_task_awaited_through_ConfigureAwait_is_complete()
    {
        var (facts, body) = Facts("Configured");
        facts.Awaited(Await(body));
        Assert.True(IsCompleted(facts, body, "t.Result"));
    }

    [Fact]
    public void The_tasks_given_to_an_awaited_WhenAll_are_complete()
    {
        var (facts, body) = Facts("WhenAllOfSome");
        Assert.False(IsCompleted(facts, body, "a.Result"));
        facts.Awaited(Await(body));
        Assert.True(IsCompleted(facts, body, "a.Result"));
        Assert.True(IsCompleted(facts, body, "b.Result"));
        Assert.False(IsCompleted(facts, body, "c.Result"));
    }

    [Fact]
    public void The_elements_of_an_array_written_in_an_awaited_WhenAll_are_complete()
    {
        var (facts, body) = Facts("WhenAllOfAnArray");
        facts.Awaited(Await(body));
        Assert.True(IsCompleted(facts, body, "a.Result"));
        Assert.True(IsCompleted(facts, body, "b.Result"));
    }

    [Fact]
    public void A_collection_given_to_an_awaited_WhenAll_holds_complete_tasks()
    {
        var (facts, body) = Facts("WhenAllOfAList");
        Assert.False(IsCompleted(facts, body, "tasks[0].Result"));
        Assert.False(IsCompleted(facts, body, "tasks.First().Result"));
        facts.Awaited(Await(body));

        // An element, and what an extension method returns from it.
        Assert.True(IsCompleted(facts, body, "tasks[0].Result"));
        Assert.True(IsCompleted(facts, body, "tasks.First().Result"));

        // The parameter of a lambda given to a method on it, once the walk has met the call.
        Assert.False(IsCompleted(facts, body, "t.Result"));
        var select = WalkerFixture.Find<IInvocationOperation>(body, "tasks.Select(t => t.Result)");
        facts.Call(select, select.Arguments[0].Value);
        Assert.True(IsCompleted(facts, body, "t.Result"));

        // The variable of a foreach over it, once the walk has entered the loop.
        Assert.False(IsCompleted(facts, body, "t.Result", occurrence: 1));
        facts.ForEach(body.Descendants().OfType<IForEachLoopOperation>().Single());
        Assert.True(IsCompleted(facts, body, "t.Result", occurrence: 1));
    }

    [Fact]
    public void The_task_an_awaited_WhenAny_returned_is_complete_and_so_is_one_found_equal_to_it()
    {
        var (facts, body) = Facts("WhenAny");
        Assert.False(IsCompleted(facts, body, "done.Result"));
        Assert.False(IsCompleted(facts, body, "a.Result"));
        foreach (var declarator in body.Descendants().OfType<IVariableDeclaratorOperation>())
        {
            facts.Assigned(declarator.Symbol, declarator.Initializer!.Value);
        }

        Assert.True(IsCompleted(facts, body, "done.Result"));

        // if (winner == a) { … a.Result … }; b is not known complete on the other branch.
        Assert.True(IsCompleted(facts, body, "a.Result"));
        Assert.False(IsCompleted(facts, body, "b.Result"));
    }

    // The timeout idiom written in place, without a local for what WhenAny gave: the compared task is complete on the
    // branch where it won, and after an early exit when it did not (with ConfigureAwait as well).
    [Fact]
    public void A_task_compared_in_place_with_an_awaited_WhenAny_is_complete_where_it_won()
    {
        var (facts, body) = Facts("WhenAnyInline");
        Assert.True(IsCompleted(facts, body, "work.Result"));
        Assert.False(IsCompleted(facts, body, "other.Result"));
        Assert.True(IsCompleted(facts, body, "other.Result", occurrence: 1));
    }

    [Fact]
    public void The_parameter_of_a_continuation_is_a_complete_task()
    {
        var (facts, body) = Facts("Continued");
        Assert.False(IsCompleted(facts, body, "p.Result"));
        var continuation = WalkerFixture.Find<IInvocationOperation>(body, "t.ContinueWith(p => p.Result)");
        facts.Call(continuation, continuation.Instance);
        Assert.True(IsCompleted(facts, body, "p.Result"));
    }

    [Theory]
    [InlineData(0, true)] // if (t.IsCompleted) { t.Result }
    [InlineData(1, true)] // t.IsCompletedSuccessfully ? t.Result : 0
    [InlineData(2, true)] // t.Status == TaskStatus.RanToCompletion ? t.Result : 0
    [InlineData(3, false)] // t.IsFaulted || flag ? 0 : t.Result: false branch of an ||, but IsFaulted false says nothing
    [InlineData(4, false)] // if (t.IsCompleted || flag) { t.Result }
    public void A_test_on_the_way_to_a_use_says_whether_the_task_completed(int occurrence, bool completed)
    {
        var (facts, body) = Facts("Tested");
        Assert.Equal(completed, IsCompleted(facts, body, "t.Result", occurrence));
    }

    [Fact]
    public void Both_sides_of_an_and_hold_in_its_true_branch()
    {
        var (facts, body) = Facts("Tested");
        Assert.True(IsCompleted(facts, body, "u.Result"));
    }

    [Fact]
    public void An_early_exit_when_the_task_did_not_complete_leaves_it_complete_after()
    {
        var (facts, body) = Facts("EarlyExit");
        Assert.True(IsCompleted(facts, body, "t.Result"));
    }

    [Fact]
    public void What_an_await_gives_is_complete_and_a_task_with_no_name_is_not()
    {
        var (facts, body) = Facts("Elsewhere");
        Assert.True(IsCompleted(facts, body, "(await nested).Result"));
        Assert.False(IsCompleted(facts, body, "Task.Run(() => 1).Result"));
    }

    private static (TaskCompletionFacts Facts, IOperation Body) Facts(string method)
    {
        var symbol = s_fixture.Method("Tasks." + method);
        return (new TaskCompletionFacts(s_fixture.Symbols, s_fixture.Paths(symbol)), s_fixture.Body(symbol));
    }

    private static IOperation Await(IOperation body) => body.Descendants().OfType<IAwaitOperation>().Single().Operation;

    private static bool IsCompleted(TaskCompletionFacts facts, IOperation body, string resultRead, int occurrence = 0)
    {
        var read = WalkerFixture.Find<IPropertyReferenceOperation>(body, resultRead, occurrence);
        return facts.IsCompleted(read.Instance, read);
    }
}
