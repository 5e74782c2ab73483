using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW010: a foreach source does not exist, is not enumerable, or its items do not fit the first parameter.</summary>
public class InvalidForEachSourceTests
{
    [Fact]
    public Task Source_that_is_a_member_but_not_a_step_is_flagged_at_the_source_with_the_member_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Import
            {
                public IReadOnlyList<string> {|#0:Files|} { get; } = new[] { "a.csv" };

                [ParallelForEach({|FLOW010,#0:nameof(Files)|})] public int Parse(string file) => file.Length;
            }
            """,
            new[] { "Parse", "its source 'Files' is a member of 'Import' but not a step; mark it [Step] or name a workflow input" });

    [Fact]
    public Task Source_that_is_neither_a_step_nor_an_identifier_is_flagged_at_the_source() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Resize
            {
                [ParallelForEach({|FLOW010:"a b"|})] public int Size(string item) => item.Length;
                [ParallelForEach("items")] public int Fine(string item) => item.Length;
            }
            """,
            new[] { "Size", "its source 'a b' is not a step, and as a workflow input it would need a name that is a C# identifier" });

    [Fact]
    public Task Source_that_is_not_enumerable_is_flagged_at_the_source() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Import
            {
                [Step] public Task<int> CountAsync() => Task.FromResult(3);

                [ParallelForEach({|FLOW010:nameof(CountAsync)|})] public int Parse(int item) => item;
            }
            """,
            new[] { "Parse", "its source 'CountAsync' is a 'int', which is not an array, IEnumerable<T> or IAsyncEnumerable<T>" });

    [Fact]
    public Task Input_source_declared_with_a_type_that_is_not_enumerable_is_flagged_at_the_source() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Import
            {
                [Step] public int Count(int rows) => rows;

                [ParallelForEach({|FLOW010:"rows"|})] public int Parse(int row) => row;
            }
            """,
            new[] { "Parse", "its source 'rows' is a 'int', which is not an array, IEnumerable<T> or IAsyncEnumerable<T>" });

    [Fact]
    public Task Items_the_first_parameter_cannot_take_are_flagged_at_that_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;

            [Workflow]
            public partial class Import
            {
                [Step] public string[] Names() => new[] { "a" };

                [ParallelForEach(nameof(Names))] public int Parse(CancellationToken ct, int {|FLOW010:name|}) => name;
            }
            """,
            new[] { "Parse", "the items of 'Names' are 'string', which its first parameter 'name' of type 'int' cannot take" });

    [Fact]
    public Task Step_parameter_declaring_a_foreach_input_decides_its_type_and_the_item_parameter_is_flagged_when_it_does_not_fit() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Import
            {
                [ParallelForEach("ids")] public int Parse(int {|FLOW010:id|}) => id;

                [Step] public int Count(IReadOnlyList<string> ids, IReadOnlyList<int> parse) => ids.Count;
            }
            """,
            new[] { "Parse", "the items of 'ids' are 'string', which its first parameter 'id' of type 'int' cannot take" });

    [Fact]
    public Task Foreach_without_a_parameter_for_the_item_is_flagged_at_its_name() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;

            [Workflow]
            public partial class Import
            {
                [Step] public int[] Rows() => new[] { 1 };

                [ParallelForEach(nameof(Rows))] public void {|FLOW010:Parse|}(StepContext context, CancellationToken ct) { }
            }
            """,
            new[] { "Parse", "it has no parameter to receive the item: its first parameter receives each item of the source" });

    [Fact]
    public Task Source_step_without_a_value_and_an_empty_source_are_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Import
            {
                [Step] public Task {|#0:PrepareAsync|}() => Task.CompletedTask;

                [ParallelForEach({|FLOW010,#0:nameof(PrepareAsync)|})] public int Parse(int row) => row;

                [ParallelForEach({|FLOW010:""|})] public int Check(int row) => row;
            }
            """,
            new[] { "Parse", "its source, step 'PrepareAsync', produces no value" },
            new[] { "Check", "its source is empty; name a step with nameof(Step) or a workflow input" });

    [Fact]
    public Task Source_that_may_be_null_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Import
            {
                [Step] public int[]? Rows() => null;

                [ParallelForEach({|FLOW010:nameof(Rows)|})] public int Parse(int row) => row;
            }
            """,
            new[] { "Parse", "its source 'Rows' may be null ('int[]?'); make it non-nullable" });

    [Fact]
    public Task Every_supported_source_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Import
            {
                [Step] public async IAsyncEnumerable<int> Stream([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
                {
                    await Task.Yield();
                    yield return 1;
                }

                [ParallelForEach(nameof(Stream))] public Task<int> Parse(int row, CancellationToken ct) => Task.FromResult(row);
                [Step] public Task<string[]> NamesAsync() => Task.FromResult(new[] { "a" });
                [ParallelForEach(nameof(NamesAsync))] public int Length(StepContext context, object name) => context.Index;
                [Step] public List<int> Numbers() => new() { 1 };
                [ParallelForEach(nameof(Numbers))] public int Twice(int number) => number * 2;
                [ParallelForEach("ids")] public int Check(int id) => id;
                [Step] public IEnumerable<int> Lazy(IReadOnlyList<int> ids) => ids;
                [ParallelForEach(nameof(Lazy))] public int Recheck(int id) => id;
            }
            """);

    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Import
            {
                [Step] public Task<string[]> FilesAsync(string folder) => Task.FromResult(new[] { folder });
                [ParallelForEach(nameof(FilesAsync), MaxDegreeOfParallelism = 2)] public Task<int> Parse(string file, StepContext context, CancellationToken ct) => Task.FromResult(file.Length);
                [ParallelForEach("ids")] public int Check(int id) => id;
                [Step] public int Total(IReadOnlyList<int> parse, IReadOnlyList<int> check) => parse.Count + check.Count;
            }
            """);
}
