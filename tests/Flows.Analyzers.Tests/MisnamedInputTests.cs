using System.Collections.Immutable;
using Flows.CodeFixes;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>
/// FLOW014: a step parameter becomes a workflow input although an unused step output of a type it accepts exists,
/// ready before the step (most likely a renamed or misspelled parameter).
/// </summary>
public class MisnamedInputTests
{
    // The issue's case: 'fetchPrice' renamed to 'price' silently became a RunAsync parameter.
    [Fact]
    public Task Renamed_parameter_is_flagged_at_the_parameter_with_the_producer_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> {|#0:FetchPriceAsync|}(string sku, CancellationToken ct) => Task.FromResult(9.5m);

                [Step] public decimal Combine(decimal {|FLOW014,#0:price|}, int quantity) => price * quantity;
            }
            """,
            new[] { "price", "Combine", "FetchPriceAsync", "decimal", "fetchPrice" });

    [Fact]
    public async Task Message_names_the_parameter_the_step_the_output_and_both_fixes()
    {
        var diagnostic = Assert.Single(await AnalyzerVerifier.AnalyzeAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine(decimal price, int quantity) => price * quantity;
            }
            """));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(
            "Parameter 'price' of 'Combine' becomes a RunAsync input, but the output of 'FetchPriceAsync' (decimal) is consumed by no step; rename the parameter to 'fetchPrice' or add [FromStep(nameof(FetchPriceAsync))]",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    // A warning: the workflow is still generated, with the parameter as an input, exactly as without the analyzer.
    [Fact]
    public async Task Flagged_workflow_is_still_generated_with_the_parameter_as_an_input()
    {
        var (diagnostics, errors) = await FixVerifier.AnalyzeAsync(FixVerifier.CreateDocument(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine(decimal price, int quantity) => price * quantity;
            }

            public static class Caller
            {
                public static async Task<decimal> Run() => await new Quote().RunAsync("sku-1", 2m, 3);
            }
            """));
        Assert.Equal(new[] { "FLOW014" }, diagnostics.Select(d => d.Id));
        Assert.Empty(errors);
    }

    [Fact]
    public Task Among_several_unused_outputs_the_first_declared_is_named_and_each_parameter_of_a_step_gets_its_own() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal {|#0:ListPrice|}() => 10m;
                [Step] public decimal {|#1:Discount|}() => 1m;
                [Step] public decimal Shipping() => 2m;
                [Step] public decimal Total(decimal {|FLOW014,#0:amount|}, decimal {|FLOW014,#1:rebate|}, decimal shipping) => amount - rebate + shipping;
                [Step] public decimal Invoice(decimal {|FLOW014,#0:net|}, decimal total) => net + total;
            }
            """,
            new[] { "amount", "Total", "ListPrice", "decimal", "listPrice" },
            new[] { "rebate", "Total", "Discount", "decimal", "discount" },
            new[] { "net", "Invoice", "ListPrice", "decimal", "listPrice" });

    [Fact]
    public Task Output_that_converts_by_an_implicit_reference_conversion_is_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Catalog
            {
                [Step] public Task<Dictionary<string, List<int>>> {|#0:LoadIndexAsync|}() => Task.FromResult(new Dictionary<string, List<int>>());

                [Step] public int Count(IReadOnlyDictionary<string, List<int>> {|FLOW014,#0:lookup|}) => lookup.Count;
            }
            """,
            new[] { "lookup", "Count", "LoadIndexAsync", "System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<int>>", "loadIndex" });

    [Fact]
    public Task Output_of_a_ContinueOnError_step_is_a_candidate_for_an_Outcome_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step(ContinueOnError = true)] public decimal {|#0:Coupon|}() => 0.1m;

                [Step] public decimal Total(Outcome<decimal> {|FLOW014,#0:rebate|}) => rebate.IsSuccess ? 90m : 100m;
            }
            """,
            new[] { "rebate", "Total", "Coupon", "Flows.Outcome<decimal>", "coupon" });

    [Fact]
    public Task Output_of_a_foreach_step_is_a_candidate_for_a_list_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Reservations
            {
                [Step] public IReadOnlyList<string> Lines(int orderId) => new[] { "a", "b" };

                [ParallelForEach(nameof(Lines))] public int {|#0:Reserve|}(string line) => line.Length;

                [Step] public int Complete(IReadOnlyList<int> {|FLOW014,#0:reservations|}) => reservations.Count;
            }
            """,
            new[] { "reservations", "Complete", "Reserve", "System.Collections.Generic.IReadOnlyList<int>", "reserve" });

    [Fact]
    public Task Output_of_a_ContinueOnError_foreach_is_a_candidate_for_a_list_of_outcomes() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Reservations
            {
                [Step] public IReadOnlyList<string> Lines(int orderId) => new[] { "a", "b" };

                [ParallelForEach(nameof(Lines), ContinueOnError = true)] public int {|#0:Reserve|}(string line) => line.Length;

                [Step] public int Complete(IReadOnlyList<Outcome<int>> {|FLOW014,#0:results|}) => results.Count;
            }
            """,
            new[] { "results", "Complete", "Reserve", "System.Collections.Generic.IReadOnlyList<Flows.Outcome<int>>", "reserve" });

    [Fact]
    public Task Keyword_output_name_is_suggested_with_an_at_sign() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Notify
            {
                [Step] public string {|#0:Event|}(int id) => "shipped";

                [Step] public int Send(string {|FLOW014,#0:title|}) => title.Length;
            }
            """,
            new[] { "title", "Send", "Event", "string", "@event" });

    [Fact]
    public Task Leading_acronym_of_the_output_name_is_lowered_as_one_word() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Export
            {
                [Step] public string {|#0:HTMLPageAsync|}(int id) => "<p/>";
                [Step] public int Size(string {|FLOW014,#0:page|}) => page.Length;
            }
            """,
            new[] { "page", "Size", "HTMLPageAsync", "string", "htmlPage" });

    // Under Dataflow, Rate and Tax are unordered (neither waits for the other), which binding allows.
    [Fact]
    public Task Under_Dataflow_an_earlier_declared_step_the_consumer_does_not_wait_for_is_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Quote
            {
                [Step] public decimal Net(string sku) => 10m;
                [Step] public decimal {|#0:TaxRate|}(string region) => 0.2m;
                [Step] public decimal Tax(decimal net, decimal {|FLOW014,#0:rate|}) => net * rate;
                [Step] public decimal Total(decimal net, decimal tax) => net + tax;
            }
            """,
            new[] { "rate", "Tax", "TaxRate", "decimal", "taxRate" });

    [Fact]
    public Task Members_of_a_group_are_candidates_for_a_later_stage() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step, Parallel("prices")] public decimal {|#0:Ups|}() => 5m;
                [Step, Parallel("prices")] public decimal Fedex() => 6m;
                [Step] public decimal Cheapest(decimal {|FLOW014,#0:first|}, decimal fedex) => first < fedex ? first : fedex;
            }
            """,
            new[] { "first", "Cheapest", "Ups", "decimal", "ups" });

    // Nothing to flag -------------------------------------------------------------------------------------------

    [Fact]
    public Task Input_with_no_unused_output_of_its_type_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            public sealed record Order(int Id);

            [Workflow]
            public partial class Checkout
            {
                [Step] public Task<Order> LoadOrderAsync(int orderId, CancellationToken ct) => Task.FromResult(new Order(orderId));
                [Step] public decimal Total(Order loadOrder, decimal taxRate, int orderId) => loadOrder.Id * taxRate + orderId;
            }
            """);

    [Fact]
    public Task Input_when_the_output_of_its_type_is_consumed_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Tax(decimal fetchPrice) => fetchPrice * 0.2m;
                [Step] public decimal Combine(decimal tax, decimal price) => price + tax;
            }
            """);

    [Fact]
    public Task Output_consumed_through_FromStep_or_as_foreach_source_is_not_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Reservations
            {
                [Step] public IReadOnlyList<string> Lines(int orderId) => new[] { "a", "b" };
                [Step] public decimal Price() => 2m;
                [ParallelForEach(nameof(Lines))] public int Reserve(string line, [FromStep(nameof(Price))] decimal unit) => line.Length;
                [Step] public int Complete(IReadOnlyList<int> reserve, IReadOnlyList<string> names, decimal amount) => reserve.Count + names.Count;
            }
            """);

    // The last stage's values are what RunAsync returns; under Dataflow the last declared step's.
    [Fact]
    public Task Result_of_a_Dataflow_workflow_is_not_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Report
            {
                [Step] public int Load(int customerId) => customerId;
                [Step] public int Score(int load, int weight) => load * weight;
                [Step] public int Summary(int score) => score;
            }
            """);

    [Fact]
    public Task Output_of_the_last_stage_is_not_a_candidate_even_when_a_sibling_takes_an_input_of_its_type() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public string Load(int id) => "x";
                [Step, Parallel("end")] public decimal Total(string load) => 1m;
                [Step, Parallel("end")] public decimal Fee(string load, decimal rate) => rate;
            }
            """);

    [Fact]
    public Task Output_of_a_type_the_parameter_does_not_accept_is_not_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            #nullable enable
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public int Count() => 3;
                [Step] public object Anything() => 3;
                [Step] public string? MaybeName() => null;
                [Step(ContinueOnError = true)] public decimal Coupon() => 0.1m;
                [Step] public long Total(long amount, string name, decimal rebate) => amount;
            }
            """);

    [Fact]
    public Task Steps_without_a_value_have_no_output() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Notify
            {
                [Step] public void Log() { }
                [Step] public Task SaveAsync() => Task.CompletedTask;
                [Step] public int Send(object payload) => 1;
            }
            """);

    // A group is one stage placed at its first member: Late is declared after Total but runs before it.
    [Fact]
    public Task Under_Sequential_a_group_member_declared_later_but_in_an_earlier_stage_is_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step, Parallel("prices")] public decimal Ups() => 5m;
                [Step] public decimal Total(decimal ups, decimal {|FLOW014,#0:late|}) => ups + late;
                [Step, Parallel("prices")] public decimal {|#0:Fedex|}() => 6m;
                [Step] public decimal Invoice(decimal total) => total;
            }
            """,
            new[] { "late", "Total", "Fedex", "decimal", "fedex" });

    [Fact]
    public Task Output_of_a_later_step_under_Sequential_or_of_the_same_group_is_not_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step, Parallel("prices")] public decimal Ups(decimal rate) => 5m;
                [Step, Parallel("prices")] public decimal Fedex() => 6m;
                [Step] public decimal Cheapest(decimal ups) => ups;
                [Step] public decimal Late() => 1m;
                [Step] public decimal Total(decimal cheapest) => cheapest;
            }
            """);

    // Binding Tax's rate to Early or Shipping would make a cycle: Early consumes Tax, Shipping runs after a consumer of Tax.
    [Fact]
    public Task Under_Dataflow_a_producer_that_waits_for_the_consumer_is_not_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Quote
            {
                [Step] public decimal Early(decimal tax) => tax;
                [Step, After(nameof(Doubled))] public decimal Shipping() => 5m;
                [Step] public decimal Tax(decimal rate) => rate * 2;
                [Step] public decimal Doubled(decimal tax) => tax * 2;
                [Step] public decimal Total(decimal doubled) => doubled;
            }
            """);

    // Dataflow would allow it, but a step declared below the consumer is not a candidate: otherwise the first step's
    // real inputs would be pointed at any unused output of their type further down.
    [Fact]
    public Task Under_Dataflow_a_producer_declared_after_the_consumer_is_not_a_candidate() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Report
            {
                [Step] public string Load(int customerId) => "c";
                [Step] public int Warmup() => 0;
                [Step] public string Summary(string load) => load;
            }
            """);

    [Fact]
    public Task Members_of_a_FirstSuccess_group_give_their_value_through_the_group_and_are_not_candidates() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Rates
            {
                [Step, Parallel("rate", Failure = FailurePolicy.FirstSuccess)] public decimal Primary() => 1m;
                [Step, Parallel("rate")] public decimal Mirror() => 1m;
                [Step] public decimal Convert(decimal amount) => amount;
            }
            """);

    [Fact]
    public Task Input_that_a_foreach_names_as_its_source_is_an_input_on_purpose() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Import
            {
                [Step] public IReadOnlyList<string> Defaults() => new[] { "a" };
                [Step] public int Check(IReadOnlyList<string> skus) => skus.Count;
                [ParallelForEach("skus")] public int Load(string sku) => sku.Length;
            }
            """);

    // orderId is a real input (Load needs it, and nothing runs before Load); Ship shares it.
    [Fact]
    public Task Parameter_sharing_an_input_that_another_step_really_needs_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Shipping
            {
                [Step] public string Load(int orderId) => "order";
                [Step] public int Count(string load) => load.Length;
                [Step] public int Audit() => 0;
                [Step] public string Ship(string load, int orderId, int count) => load + orderId + count;
            }
            """);

    [Fact]
    public Task Every_parameter_of_an_input_that_no_step_really_needs_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal {|#0:Price|}(string sku) => 1m;
                [Step] public decimal Tax(decimal {|FLOW014,#0:amount|}) => amount / 5;
                [Step] public decimal Total(decimal {|FLOW014,#0:amount|}, decimal tax) => amount + tax;
            }
            """,
            new[] { "amount", "Tax", "Price", "decimal", "price" },
            new[] { "amount", "Total", "Price", "decimal", "price" });

    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine(decimal fetchPrice, int quantity) => fetchPrice * quantity;
            }
            """);

    // Generated workflows: chains where every output but the last stage's is consumed get nothing; renaming the only
    // consumer of one output (the issue's mistake) gets exactly one FLOW014, naming that output.
    [Fact]
    public async Task Renaming_the_only_consumer_of_an_output_is_flagged_in_generated_workflows()
    {
        var random = new Random(20261206);
        string[] types = { "int", "decimal", "string" };
        var correct = new List<string>();
        var renamed = new List<string>();
        var expected = new List<string[]>();
        for (var w = 0; w < 40; w++)
        {
            var count = random.Next(3, 7);
            var returns = Enumerable.Range(0, count).Select(_ => types[random.Next(types.Length)]).ToArray();
            var consumes = Enumerable.Range(0, count).Select(i => Enumerable.Range(0, i).Where(_ => random.Next(3) == 0).ToList()).ToArray();
            for (var j = 0; j < count - 1; j++)
            {
                if (!consumes.Any(list => list.Contains(j)))
                {
                    consumes[count - 1].Add(j);
                }
            }

            var once = Enumerable.Range(0, count - 1).Where(j => consumes.Count(list => list.Contains(j)) == 1).ToList();
            if (once.Count == 0)
            {
                continue;
            }

            var producer = once[random.Next(once.Count)];
            var consumer = Array.FindIndex(consumes, list => list.Contains(producer));
            var scheduling = random.Next(2) == 0 ? "" : "(Scheduling = Scheduling.Dataflow)";
            correct.Add(Workflow(w, scheduling, returns, consumes, rename: -1, -1));
            renamed.Add(Workflow(w, scheduling, returns, consumes, producer, consumer));
            expected.Add(new[] { $"renamed{w}", $"Step{consumer}", $"Step{producer}", returns[producer], $"step{producer}" });
        }

        Assert.True(expected.Count >= 20, "Too few generated cases.");
        Assert.Empty(await AnalyzerVerifier.AnalyzeAsync(correct.ToArray()));

        // One file per workflow (Test{i}.cs); the diagnostics come ordered by file name.
        var diagnostics = (await AnalyzerVerifier.AnalyzeAsync(renamed.ToArray()))
            .OrderBy(d => int.Parse(d.Location.SourceTree!.FilePath.Substring("Test".Length).Replace(".cs", string.Empty), System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.True(
            expected.Count == diagnostics.Length,
            "Unexpected:\n" + string.Join("\n", diagnostics.Select(d => d.Location.SourceTree!.FilePath + ": " + d.GetMessage())));
        for (var i = 0; i < diagnostics.Length; i++)
        {
            Assert.Equal("FLOW014", diagnostics[i].Id);
            Assert.Equal($"Test{i}.cs", diagnostics[i].Location.SourceTree!.FilePath);
            Assert.Equal(expected[i], AnalyzerVerifier.MessageArguments(diagnostics[i]));
            Assert.Equal(expected[i][0], diagnostics[i].Location.SourceTree!.GetText().ToString(diagnostics[i].Location.SourceSpan));
            var additional = Assert.Single(diagnostics[i].AdditionalLocations);
            Assert.Equal(expected[i][2], additional.SourceTree!.GetText().ToString(additional.SourceSpan));
        }

        static string Workflow(int w, string scheduling, string[] returns, List<int>[] consumes, int rename, int renameIn)
        {
            var text = new System.Text.StringBuilder();
            text.Append($"using Flows;\n\n[Workflow{scheduling}]\npublic partial class Generated{w:D2}\n{{\n");
            for (var i = 0; i < returns.Length; i++)
            {
                var parameters = consumes[i].Select(j => $"{returns[j]} {(i == renameIn && j == rename ? $"renamed{w}" : $"step{j}")}").ToList();
                if (i == 0)
                {
                    parameters.Add("int seed");
                }

                text.Append($"    [Step] public {returns[i]} Step{i}({string.Join(", ", parameters)}) => default!;\n");
            }

            return text.Append("}\n").ToString();
        }
    }

    // No existing workflow of the repository is flagged: they build with TreatWarningsAsErrors, and none of them has a
    // misnamed parameter. Each folder is compiled as its project is (implicit usings where the project enables them).
    [Theory]
    [InlineData("samples/Flows.Samples", true)]
    [InlineData("samples/Flows.AotSample", true)]
    [InlineData("tests/Flows.IntegrationTests", false)]
    [InlineData("tests/Flows.Generator.Tests/Workflows", false)]
    public async Task Repository_workflows_are_not_flagged(string folder, bool implicitUsings)
    {
        var root = Path.Combine(RepositoryRoot(), folder);
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToList();
        var sources = files.Select(File.ReadAllText).ToList();
        if (implicitUsings)
        {
            sources.Add("global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;");
        }

        var workflows = sources.Sum(source => System.Text.RegularExpressions.Regex.Matches(source, @"\[Workflow[\]\(]").Count);
        Assert.True(workflows > 0, $"No workflow found under {folder}.");

        var (diagnostics, generated) = await FixVerifier.AnalyzeSourcesAsync(sources, implicitUsings ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary);

        // Every workflow was understood (a workflow the parser cannot read is not checked, so this would pass vacuously).
        Assert.Equal(workflows, generated);
        Assert.True(diagnostics.Length == 0, "Unexpected:\n" + string.Join("\n", diagnostics.Select(d => d.ToString())));
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    // Code fixes -------------------------------------------------------------------------------------------------

    private const string Rename = "MisnamedInputCodeFix.Rename";
    private const string FromStep = "MisnamedInputCodeFix.FromStep";

    [Fact]
    public Task Rename_fix_renames_the_parameter_its_uses_and_named_arguments() =>
        FixVerifier.VerifyAsync(
            Rename,
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine(decimal price, int quantity) => price * quantity;

                public decimal Preview() => Combine(price: 1m, quantity: 2);
            }
            """,
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine(decimal fetchPrice, int quantity) => fetchPrice * quantity;

                public decimal Preview() => Combine(fetchPrice: 1m, quantity: 2);
            }
            """);

    [Fact]
    public Task Rename_fix_escapes_a_keyword_output_name() =>
        FixVerifier.VerifyAsync(
            Rename,
            """
            using Flows;

            [Workflow]
            public partial class Notify
            {
                [Step] public string Event(int id) => "shipped";
                [Step] public int Send(string title) => title.Length;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Notify
            {
                [Step] public string Event(int id) => "shipped";
                [Step] public int Send(string @event) => @event.Length;
            }
            """);

    [Fact]
    public Task Rename_fix_works_for_a_generic_output_type_in_a_nested_workflow() =>
        FixVerifier.VerifyAsync(
            Rename,
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            namespace Shop;

            public static partial class Outer
            {
                [Workflow]
                internal partial class Catalog
                {
                    [Step] public Task<Dictionary<string, List<int>>> LoadIndexAsync() => Task.FromResult(new Dictionary<string, List<int>>());
                    [Step] public static int Count(IReadOnlyDictionary<string, List<int>> lookup) => lookup.Count + (lookup.ContainsKey("a") ? 1 : 0);
                }
            }
            """,
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            namespace Shop;

            public static partial class Outer
            {
                [Workflow]
                internal partial class Catalog
                {
                    [Step] public Task<Dictionary<string, List<int>>> LoadIndexAsync() => Task.FromResult(new Dictionary<string, List<int>>());
                    [Step] public static int Count(IReadOnlyDictionary<string, List<int>> loadIndex) => loadIndex.Count + (loadIndex.ContainsKey("a") ? 1 : 0);
                }
            }
            """);

    [Fact]
    public async Task Rename_fix_is_not_offered_when_the_method_already_uses_the_name()
    {
        var offered = await FixVerifier.OfferedAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal FetchPrice() => 9.5m;
                [Step] public decimal Combine(decimal price)
                {
                    var fetchPrice = price * 2;
                    return fetchPrice;
                }
            }
            """);
        Assert.Equal(new[] { FromStep }, offered);
    }

    // The fuzz suite's code-fix invariant: the producer is named with the reserved prefix (FLOW008 of its own), and a
    // parameter renamed after it would be FLOW008 too.
    [Fact]
    public async Task Rename_fix_is_not_offered_when_the_new_name_has_the_reserved_prefix()
    {
        var offered = await FixVerifier.OfferedAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal __Price() => 9.5m;
                [Step] public decimal Combine(decimal amount) => amount * 2;
            }
            """);
        Assert.Equal(new[] { FromStep }, offered);
    }

    // The fuzz suite (mutation:188065205): a parameter with the reserved prefix stays FLOW008 however it is bound, so
    // only the rename, which removes the prefix, is offered.
    [Fact]
    public async Task FromStep_fix_is_not_offered_when_the_parameter_has_the_reserved_prefix()
    {
        var offered = await FixVerifier.OfferedAsync(
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal Price() => 9.5m;
                [Step] public decimal Combine(decimal __amount) => __amount * 2;
            }
            """);
        Assert.Equal(new[] { Rename }, offered);
    }

    // The fuzz suite (mutation:706280042): with two parameters of one name (CS0100), which one the body reads is the
    // compiler's guess; neither fix is offered.
    [Fact]
    public async Task No_fix_is_offered_for_a_parameter_whose_name_is_declared_twice()
    {
        var offered = await FixVerifier.OfferedAsync(
            """
            using Flows;
            using System.Threading;

            [Workflow]
            public partial class Quote
            {
                [Step] public int Parse(string text) => text.Length;
                [Step] public int Double(int ct, CancellationToken ct) => ct * 2;
            }
            """);
        Assert.Empty(offered);
    }

    // The fuzz suite (mutation:148872202): where a step is named 'nameof', 'nameof(nameof)' calls it; the attribute
    // names the step with a string.
    [Fact]
    public Task FromStep_fix_names_a_step_called_nameof_with_a_string() =>
        FixVerifier.VerifyAsync(
            FromStep,
            """
            using Flows;

            [Workflow]
            public partial class Download
            {
                [Step] public byte[] @nameof(string address) => new byte[address.Length];
                [Step] public int Parse(byte[] content) => content.Length;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Download
            {
                [Step] public byte[] @nameof(string address) => new byte[address.Length];
                [Step] public int Parse([FromStep("nameof")] byte[] content) => content.Length;
            }
            """);

    [Fact]
    public Task FromStep_fix_adds_the_attribute_with_nameof_the_producer() =>
        FixVerifier.VerifyAsync(
            FromStep,
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine(decimal price, int quantity) => price * quantity;
            }
            """,
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(string sku) => Task.FromResult(9.5m);
                [Step] public decimal Combine([FromStep(nameof(FetchPriceAsync))] decimal price, int quantity) => price * quantity;
            }
            """);

    [Fact]
    public Task FromStep_fix_qualifies_the_attribute_when_the_file_has_no_using_Flows() =>
        FixVerifier.VerifyAsync(
            FromStep,
            """
            [Flows.Workflow]
            public partial class Notify
            {
                [Flows.Step] public string @event(int id) => "shipped";
                [Flows.Step] public int Send(
                    string title) => title.Length;
            }
            """,
            """
            [Flows.Workflow]
            public partial class Notify
            {
                [Flows.Step] public string @event(int id) => "shipped";
                [Flows.Step] public int Send(
                    [global::Flows.FromStep(nameof(@event))] string title) => title.Length;
            }
            """);

    [Fact]
    public Task FromStep_fix_qualifies_the_attribute_when_another_FromStep_is_in_scope() =>
        FixVerifier.VerifyAsync(
            FromStep,
            """
            using Flows;

            public sealed class FromStepAttribute : System.Attribute { }

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal Price() => 9.5m;
                [Step] public decimal Total([System.ComponentModel.Description("net")] decimal amount) => amount;
            }
            """,
            """
            using Flows;

            public sealed class FromStepAttribute : System.Attribute { }

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal Price() => 9.5m;
                [Step] public decimal Total([System.ComponentModel.Description("net")] [global::Flows.FromStep(nameof(Price))] decimal amount) => amount;
            }
            """);

    [Fact]
    public Task Rename_fix_all_renames_every_flagged_parameter_of_the_document() =>
        FixVerifier.VerifyAsync(
            Rename,
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal ListPrice() => 10m;
                [Step] public decimal Discount() => 1m;
                [Step] public decimal Total(decimal amount, decimal rebate) => amount - rebate;
                [Step] public decimal Invoice(decimal net, decimal total) => net + total;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal ListPrice() => 10m;
                [Step] public decimal Discount() => 1m;
                [Step] public decimal Total(decimal listPrice, decimal discount) => listPrice - discount;
                [Step] public decimal Invoice(decimal listPrice, decimal total) => listPrice + total;
            }
            """,
            fixAll: true);

    [Fact]
    public Task FromStep_fix_all_binds_every_flagged_parameter_of_the_document() =>
        FixVerifier.VerifyAsync(
            FromStep,
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal ListPrice() => 10m;
                [Step] public decimal Discount() => 1m;
                [Step] public decimal Total(decimal amount, decimal rebate) => amount - rebate;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public decimal ListPrice() => 10m;
                [Step] public decimal Discount() => 1m;
                [Step] public decimal Total([FromStep(nameof(ListPrice))] decimal amount, [FromStep(nameof(Discount))] decimal rebate) => amount - rebate;
            }
            """,
            fixAll: true);

    // The fuzz suite's code-fix invariant (CS1739): a call written against the RunAsync the misnamed parameter made passes
    // an argument the fixed RunAsync no longer has. Both fixes remove it.
    [Theory]
    [InlineData(Rename, "fetchPrice")]
    [InlineData(FromStep, "[FromStep(nameof(FetchPriceAsync))] decimal price")]
    public Task Either_fix_removes_the_argument_calls_passed_for_the_input_that_is_gone(string fix, string parameter) =>
        FixVerifier.VerifyAsync(
            fix,
            """
            using System.Threading.Tasks;
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(int sku) => Task.FromResult(10m);
                [Step] public decimal Combine(decimal price) => price * 2;
            }

            public static class Caller
            {
                public static ValueTask<decimal> Run(Quote quote) => quote.RunAsync(sku: 1, price: 3m);
            }
            """,
            $$"""
            using System.Threading.Tasks;
            using Flows;

            [Workflow]
            public partial class Quote
            {
                [Step] public Task<decimal> FetchPriceAsync(int sku) => Task.FromResult(10m);
                [Step] public decimal Combine({{(fix == Rename ? "decimal " + parameter : parameter)}}) => {{(fix == Rename ? parameter : "price")}} * 2;
            }

            public static class Caller
            {
                public static ValueTask<decimal> Run(Quote quote) => quote.RunAsync(sku: 1);
            }
            """);

    /// <summary>
    /// Applies one of the FLOW014 fixes (by equivalence key) to the first FLOW014, or through the batch fixer to every
    /// FLOW014 of the document, and checks the text, that it compiles with the generator's output, and that no FLOW014 is left.
    /// </summary>
    private static class FixVerifier
    {
        private static readonly ImmutableArray<MetadataReference> s_references =
            Basic.Reference.Assemblies.Net80.References.All
                .Cast<MetadataReference>()
                .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
                .ToImmutableArray();

        public static async Task VerifyAsync(string equivalenceKey, string before, string after, bool fixAll = false)
        {
            var document = CreateDocument(before);
            var (diagnostics, _) = await AnalyzeAsync(document);
            var flagged = diagnostics.Where(d => d.Id == "FLOW014").ToArray();
            Assert.True(flagged.Length > 0, "No FLOW014 to fix in:\n" + before);

            var fix = new MisnamedInputCodeFix();
            CodeAction? action;
            if (fixAll)
            {
                Assert.True(flagged.Length > 1, "A FixAll test needs several diagnostics.");
                var context = new FixAllContext(document, fix, FixAllScope.Document, equivalenceKey, new[] { "FLOW014" }, new Diagnostics(flagged), CancellationToken.None);
                action = await fix.GetFixAllProvider().GetFixAsync(context);
            }
            else
            {
                var actions = new List<CodeAction>();
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, flagged[0], (a, _) => actions.Add(a), CancellationToken.None));
                action = actions.SingleOrDefault(a => a.EquivalenceKey == equivalenceKey);
            }

            Assert.True(action is not null, $"No {equivalenceKey} fix offered.");
            var operations = await action!.GetOperationsAsync(CancellationToken.None);
            var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
            Assert.Equal(after.Replace("\r\n", "\n"), (await changed.GetTextAsync()).ToString().Replace("\r\n", "\n"));

            var (remaining, errors) = await AnalyzeAsync(changed);
            Assert.True(errors.Length == 0, "The fixed code does not compile:\n" + string.Join("\n", errors.Select(d => d.ToString())));
            Assert.True(remaining.All(d => d.Id != "FLOW014"), "FLOW014 is left:\n" + string.Join("\n", remaining.Select(d => d.ToString())));
        }

        /// <summary>The equivalence keys of the fixes offered for the first FLOW014.</summary>
        public static async Task<string?[]> OfferedAsync(string source)
        {
            var document = CreateDocument(source);
            var diagnostic = (await AnalyzeAsync(document)).Diagnostics.First(d => d.Id == "FLOW014");
            var actions = new List<CodeAction>();
            await new MisnamedInputCodeFix().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            return actions.Select(a => a.EquivalenceKey).ToArray();
        }

        // One document in the same workspace project the generated code-fix suite builds.
        public static Document CreateDocument(string source) =>
            Flows.Analyzers.Tests.CodeFixes.CodeFixHarness.CreateSolution(new[] { source }).Projects.Single().Documents.Single();

        /// <summary>Runs the generator and the declaration analyzer over several files: the FLOW014s, and how many workflows were generated.</summary>
        public static async Task<(Diagnostic[] Diagnostics, int Generated)> AnalyzeSourcesAsync(IEnumerable<string> sources, OutputKind outputKind)
        {
            var compilation = CSharpCompilation.Create(
                "Corpus",
                sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: $"File{i}.cs")),
                s_references.Add(MetadataReference.CreateFromFile(typeof(Assert).Assembly.Location)).Add(MetadataReference.CreateFromFile(typeof(FactAttribute).Assembly.Location)),
                new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new WorkflowGenerator());
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
            var withAnalyzers = generated.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer()));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            return (
                diagnostics.Where(d => d.Id == "FLOW014").ToArray(),
                generated.SyntaxTrees.Count(tree => tree.FilePath.EndsWith(".Flows.g.cs", StringComparison.Ordinal)));
        }

        /// <summary>The analyzers' diagnostics and the compiler's errors, over the compilation with the generator's output.</summary>
        public static async Task<(Diagnostic[] Diagnostics, Diagnostic[] Errors)> AnalyzeAsync(Document document)
        {
            var compilation = (await document.Project.GetCompilationAsync())!;
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new WorkflowGenerator());
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
            var withAnalyzers = generated.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer(), new global::Flows.Analyzers.Concurrency.StepConcurrencyAnalyzer()));
            var all = await withAnalyzers.GetAllDiagnosticsAsync();
            return (
                all.Where(d => d.Id.StartsWith("FLOW", StringComparison.Ordinal)).OrderBy(d => d.Location.SourceSpan.Start).ToArray(),
                all.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray());
        }

        private sealed class Diagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly Diagnostic[] _diagnostics;

            public Diagnostics(Diagnostic[] diagnostics) => _diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult(Enumerable.Empty<Diagnostic>());

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
        }
    }
}
