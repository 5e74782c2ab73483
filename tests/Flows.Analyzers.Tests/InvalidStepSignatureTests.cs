using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW008: invalid step signature.</summary>
public class InvalidStepSignatureTests
{
    [Fact]
    public Task Async_void_step_is_flagged_at_its_name() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Mailer
            {
                [Step] public async void {|FLOW008:SendAsync|}() => await Task.Yield();
            }
            """,
            new[] { "SendAsync", "an async step must return Task or ValueTask, not void" });

    [Fact]
    public Task Arglist_step_is_flagged_at_its_name() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Mailer
            {
                [Step] public int {|FLOW008:Send|}(__arglist) => 0;
            }
            """,
            new[] { "Send", "a step cannot take __arglist" });

    [Fact]
    public Task Generic_step_is_flagged_at_its_name() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Mailer
            {
                [Step] public T {|FLOW008:Echo|}<T>(T message) => message;
            }
            """,
            new[] { "Echo", "a step cannot be generic" });

    [Fact]
    public Task Ref_out_and_in_parameters_are_each_flagged_at_the_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Mailer
            {
                [Step]
                public int Send(ref int {|FLOW008:retries|}, out string {|FLOW008:error|}, in long {|FLOW008:id|})
                {
                    error = "";
                    return retries;
                }
            }
            """,
            new[] { "Send", "parameter 'retries' cannot be ref, out or in" },
            new[] { "Send", "parameter 'error' cannot be ref, out or in" },
            new[] { "Send", "parameter 'id' cannot be ref, out or in" });

    [Fact]
    public Task Steps_with_one_output_name_are_flagged_at_the_second_with_the_first_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int {|#0:Load|}() => 1;

                [Step] public Task<int> {|FLOW008,#0:LoadAsync|}() => Task.FromResult(2);
            }
            """,
            new[] { "LoadAsync", "its output name 'Load' is also the output name of step 'Load'" });

    [Fact]
    public Task Output_names_differing_only_in_case_are_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int {|#0:LoadAsync|}() => 1;

                [Step] public static int {|FLOW008,#0:load|}() => 2;
            }
            """,
            new[] { "load", "its output name 'load' is also the output name of step 'LoadAsync'" });

    [Fact]
    public Task Member_named_MermaidDiagram_is_flagged_at_its_name() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                public string {|FLOW008:MermaidDiagram|} => "graph TD";

                [Step] public int Load() => 1;
            }
            """,
            new[] { "MermaidDiagram", "'MermaidDiagram' is a member Flows generates; rename this member" });

    [Fact]
    public Task Step_returning_a_ref_struct_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System;

            [Workflow]
            public partial class Buffers
            {
                [Step] public Span<byte> {|FLOW008:Rent|}() => default;
            }
            """,
            new[] { "Rent", "its value of type 'System.Span<byte>' cannot be kept across an await" });

    [Fact]
    public Task Every_supported_shape_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Shapes
            {
                [Step] private void Start() { }
                [Step] internal static Task WarmUpAsync(CancellationToken ct) => Task.CompletedTask;
                [Step] protected ValueTask PingAsync() => default;
                [Step] public async Task<int> LoadAsync() { await Task.Yield(); return 1; }
                [Step] public ValueTask<string> Name(int load) => new("x");
                [Step] public int[] Values(int load, params int[] extra) => extra;
                [Step] public async IAsyncEnumerable<int> Stream() { await Task.Yield(); yield return 1; }
                [Step] public int Loader(int load) => load;
                public string Mermaid => "not the generated member";
                public int LoadOrder() => 0;
            }
            """);

    // The generated MermaidDiagram and RunAsync are in the compilation the analyzers see: they are not the user's.
    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Checkout
            {
                [Step] public async Task<int> LoadAsync(int orderId) { await Task.Yield(); return orderId; }
                [Step] public static ValueTask<int> Tax(int load) => new(load / 10);
                [Step] private void Log(int tax) { }
            }
            """);
}
