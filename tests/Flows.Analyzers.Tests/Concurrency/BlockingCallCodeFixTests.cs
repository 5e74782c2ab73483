using Flows.CodeFixes;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>FLOW004's code fix: a blocking wait in an async step becomes an await, and the result compiles.</summary>
public class BlockingCallCodeFixTests
{
    private const string Header = """
        using Flows;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Result_becomes_await() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Total(Task<int> pending) { await Task.Yield(); return pending.Result + 1; }
            }
            """,
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Total(Task<int> pending) { await Task.Yield(); return await pending + 1; }
            }
            """);

    [Fact]
    public Task Result_followed_by_a_member_is_parenthesized() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Length(Task<string> pending) => pending.Result.Length;
            }
            """,
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Length(Task<string> pending) => (await pending).Length;
            }
            """);

    [Fact]
    public Task Wait_becomes_await() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step]
                public async Task Run(Task pending)
                {
                    pending.Wait();
                }
            }
            """,
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step]
                public async Task Run(Task pending)
                {
                    await pending;
                }
            }
            """);

    [Fact]
    public Task GetAwaiter_GetResult_becomes_await() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Run(Task<int> pending) { var value = pending.ConfigureAwait(false).GetAwaiter().GetResult(); return value; }
            }
            """,
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Run(Task<int> pending) { var value = await pending.ConfigureAwait(false); return value; }
            }
            """);

    [Fact]
    public Task Sleep_becomes_Task_Delay_with_the_steps_token() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step]
                public async Task Run(CancellationToken ct)
                {
                    await Task.Yield();
                    Thread.Sleep(100);
                }
            }
            """,
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step]
                public async Task Run(CancellationToken ct)
                {
                    await Task.Yield();
                    await Task.Delay(100, ct);
                }
            }
            """);

    [Fact]
    public Task Sleep_without_a_token_and_without_the_using_is_fully_qualified() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            """
            using Flows;

            [Workflow]
            public partial class Load
            {
                [Step]
                public async System.Threading.Tasks.Task Run()
                {
                    await System.Threading.Tasks.Task.Yield();
                    System.Threading.Thread.Sleep(System.TimeSpan.FromMilliseconds(5));
                }
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Load
            {
                [Step]
                public async System.Threading.Tasks.Task Run()
                {
                    await System.Threading.Tasks.Task.Yield();
                    await System.Threading.Tasks.Task.Delay(System.TimeSpan.FromMilliseconds(5));
                }
            }
            """);

    [Fact]
    public Task No_fix_in_a_synchronous_step() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public int Run(Task<int> pending) => pending.Result;
            }
            """);

    [Fact]
    public Task No_fix_for_a_blocking_helper() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                [Step] public async Task<int> Run() { await Task.Yield(); return Fetch(); }

                private static int Fetch() => Task.Run(() => 1).Result;
            }
            """);

    [Fact]
    public Task No_fix_for_a_wait_with_a_timeout_or_inside_a_lambda_or_lock() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            Header + """
            [Workflow]
            public partial class Load
            {
                private readonly object _gate = new();

                [Step]
                public async Task<bool> Run(Task pending)
                {
                    await Task.Yield();
                    System.Func<int> later = () => { Thread.Sleep(1); return 1; };
                    lock (_gate) { pending.Wait(); }
                    return pending.Wait(100) && later() == 1;
                }
            }
            """);
}
