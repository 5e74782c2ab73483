using System.Reflection;
using Flows.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// What the pipeline re-does after an edit (STYLE.md §8): only the steps named in <see cref="TrackingNames"/> are
/// read, since Roslyn's own internal steps report Modified for reasons of their own.
/// </summary>
public sealed class IncrementalityTests
{
    private const string OrdersPath = "Orders.cs";
    private const string Orders = """
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Shop;

        [Workflow]
        public partial class Orders
        {
            [Step]
            public int Load(int id)
            {
                return id + 1;
            }

            [Step, Parallel("details")]
            public Task<string> Name(int load, CancellationToken cancellationToken) => Task.FromResult("order " + load);

            [Step, Parallel("details")]
            public int Price(int load) => load * 2;
        }
        """;

    private const string InvoicesPath = "Invoices.cs";
    private const string Invoices = """
        using System.Threading.Tasks;
        using Flows;

        namespace Shop;

        [Workflow]
        public partial class Invoices
        {
            [Step]
            public ValueTask<decimal> Total(decimal amount) => new(amount * 1.2m);

            [Step]
            public string Format(decimal total) => total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        """;

    // A workflow the generator skips (not partial): its FLOW017 travels the pipeline beside the two models.
    private const string RefundsPath = "Refunds.cs";
    private const string Refunds = """
        using Flows;

        namespace Shop;

        [Workflow]
        public class Refunds
        {
            [Step]
            public int Find(int orderId) => orderId;
        }
        """;

    // A durable workflow (the compilations reference Flows.DurableTask): its model also holds the durable part.
    private const string ShipmentsPath = "Shipments.cs";
    private const string Shipments = """
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Shop;

        [Workflow(Durable = true)]
        public partial class Shipments
        {
            [Step]
            public int Weigh(int parcels)
            {
                return parcels * 3;
            }

            [Step, Parallel("carriers")]
            public Task<decimal> Express(int weigh, CancellationToken cancellationToken) => Task.FromResult(weigh * 2.5m);

            [Step, Parallel("carriers")]
            public decimal Standard(int weigh) => weigh * 1.5m;

            [ParallelForEach("labels", MaxDegreeOfParallelism = 2), Retry(2)]
            public string Print(string label, decimal express, decimal standard) => label + (express < standard ? express : standard);
        }
        """;

    private static readonly string[] s_trackingNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void TrackingNamesAreTheOnesThePipelineUses()
    {
        var (_, result) = Rerun(compilation => compilation);

        Assert.Contains(TrackingNames.Models, s_trackingNames);
        Assert.Contains(TrackingNames.Workflows, s_trackingNames);
        foreach (var name in s_trackingNames)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"No tracked step '{name}'. Tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
        }
    }

    [Fact]
    public void SameCompilationTwice_EverythingCached()
    {
        var (first, second) = Rerun(compilation => (CSharpCompilation)compilation.Clone());

        AssertTracked(second, expectedModified: 0);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void UnrelatedFileAdded_EverythingCached()
    {
        var (first, second) = Rerun(compilation => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Shop; public sealed class Customer { public string Name { get; set; } = \"\"; }",
            CompileSettings.Default.ParseOptions,
            "Customer.cs")));

        AssertTracked(second, expectedModified: 0);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void UnrelatedFileEdited_EverythingCached()
    {
        var (first, second) = Rerun(
            compilation => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Shop; public static class Util { public static int A() => 1; }", CompileSettings.Default.ParseOptions, "Util.cs")),
            compilation => Edit(compilation, "Util.cs", "=> 1;", "=> 2;"));

        AssertTracked(second, expectedModified: 0);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void StepBodyEdited_ModelUnchanged_SameText()
    {
        var (first, second) = Rerun(compilation => Edit(compilation, OrdersPath, "return id + 1;", "var next = id + 1;\n        return next;"));

        AssertTracked(second, expectedModified: 0);
        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(second, TrackingNames.Models));
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void ExpressionBodyAndCommentEdited_ModelUnchanged_SameText()
    {
        var (first, second) = Rerun(compilation => Edit(compilation, OrdersPath, "=> load * 2;", "=> /* doubled */ load + load;"));

        AssertTracked(second, expectedModified: 0);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void WhitespaceAboveTheWorkflowEdited_ModelUnchanged()
    {
        // Moves every location in the file: a model that held one would change.
        var (first, second) = Rerun(compilation => Edit(compilation, OrdersPath, "namespace Shop;", "namespace Shop;\n\n\n// Orders.\n"));

        AssertTracked(second, expectedModified: 0);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void NewParameter_Modified()
    {
        var (_, second) = Rerun(compilation => Edit(compilation, OrdersPath, "public int Price(int load)", "public int Price(int load, int discount)"));

        AssertTracked(second, expectedModified: 1);
        AssertOutputs(second, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void ReturnTypeChanged_Modified()
    {
        var (_, second) = Rerun(compilation => Edit(compilation, OrdersPath, "public int Price(int load) => load * 2;", "public long Price(int load) => load * 2L;"));

        AssertTracked(second, expectedModified: 1);
        AssertOutputs(second, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void NewParallelAttribute_Modified()
    {
        var (_, second) = Rerun(compilation => Edit(compilation, InvoicesPath, "    [Step]\n    public string Format", "    [Step, Parallel(\"end\")]\n    public string Format"));

        AssertTracked(second, expectedModified: 1);
        AssertOutputs(second, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void AttributeArgumentChanged_Modified()
    {
        var (_, second) = Rerun(compilation => Edit(compilation, OrdersPath, "[Step, Parallel(\"details\")]\n    public int Price", "[Step, Parallel(\"details\", Failure = FailurePolicy.WaitAll)]\n    public int Price"));

        AssertTracked(second, expectedModified: 1);
        AssertOutputs(second, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void NewStep_Modified()
    {
        var (first, second) = Rerun(compilation => Edit(compilation, InvoicesPath, "    [Step]\n    public string Format", "    [Step]\n    public bool Check(decimal total) => total > 0;\n\n    [Step]\n    public string Format"));

        AssertTracked(second, expectedModified: 1);
        AssertOutputs(second, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
        Assert.NotEqual(
            first.GeneratedSources.Single(source => source.HintName.Contains("Invoices", StringComparison.Ordinal)).SourceText.ToString(),
            second.GeneratedSources.Single(source => source.HintName.Contains("Invoices", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void SkippedWorkflowMadePartial_ItsFlow017GoesAndItIsGenerated()
    {
        var (first, second) = Rerun(compilation => Edit(compilation, RefundsPath, "public class Refunds", "public partial class Refunds"));

        Assert.Single(first.Diagnostics, diagnostic => diagnostic.Id == "FLOW017");
        Assert.Empty(second.Diagnostics);
        Assert.Equal(3, second.GeneratedSources.Length);
        Assert.Contains(IncrementalStepRunReason.Removed, Reasons(second, TrackingNames.NotGenerated));
        Assert.Equal(new[] { IncrementalStepRunReason.New }, Reasons(second, TrackingNames.Workflows).Where(reason => reason != IncrementalStepRunReason.Cached && reason != IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void DurableStepBodyEdited_ModelUnchanged_SameText()
    {
        var (first, second) = Rerun(
            AddShipments,
            compilation => Edit(compilation, ShipmentsPath, "return parcels * 3;", "var weight = parcels * 3;\n        return weight;"),
            expectedGenerated: 3);

        Assert.Contains("public static class Durable", ShipmentsText(first), StringComparison.Ordinal);
        AssertTracked(second, expectedModified: 0);
        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(second, TrackingNames.Models));
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        AssertSameText(first, second);
    }

    [Fact]
    public void DurableTurnedOff_Modified()
    {
        var (first, second) = Rerun(
            AddShipments,
            compilation => Edit(compilation, ShipmentsPath, "[Workflow(Durable = true)]", "[Workflow(Durable = false)]"),
            expectedGenerated: 3);

        AssertTracked(second, expectedModified: 1);
        AssertOutputs(second, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
        Assert.Contains("public static class Durable", ShipmentsText(first), StringComparison.Ordinal);
        Assert.DoesNotContain("public static class Durable", ShipmentsText(second), StringComparison.Ordinal);
    }

    [Fact]
    public void WorkflowRemoved_Removed()
    {
        var (_, second) = Rerun(compilation => compilation.RemoveSyntaxTrees(compilation.SyntaxTrees.Single(tree => tree.FilePath == InvoicesPath)));

        Assert.Contains(IncrementalStepRunReason.Removed, second.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(output => output.Reason));
        Assert.Single(second.GeneratedSources);
    }

    [Fact]
    public void TrackedValuesHoldNoSymbolsSyntaxOrLocations()
    {
        // Every workflow source, then an edit, so that New, Unchanged and Modified values are all walked.
        var sources = WorkflowSources.All.Select(pair => (pair.Key + ".cs", pair.Value)).Append((OrdersPath, Orders)).Append((RefundsPath, Refunds)).ToArray();
        var compilation = TestCompilation.Create(CompileSettings.Default, sources);
        var driver = TestCompilation.CreateDriver(CompileSettings.Default, trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results[0];
        driver = driver.RunGenerators(Edit(compilation, OrdersPath, "public int Price(int load)", "public int Price(int load, string note)"));
        var second = driver.GetRunResult().Results[0];

        var problems = new List<string>();
        var walked = 0;
        foreach (var (run, label) in new[] { (first, "first run"), (second, "after an edit") })
        {
            foreach (var name in s_trackingNames)
            {
                foreach (var (value, reason) in run.TrackedSteps[name].SelectMany(step => step.Outputs))
                {
                    walked++;
                    problems.AddRange(ObjectGraph.FindForbidden(value, $"{label} {name} ({reason})"));
                }
            }
        }

        Assert.True(walked > WorkflowSources.All.Count, $"Only {walked} tracked values were walked.");
        Assert.True(problems.Count == 0, "Pipeline values hold compilation objects:\n" + string.Join("\n", problems.Distinct().Take(50)));
    }

    [Fact]
    public void TrackedValuesCompareByValue()
    {
        var sources = WorkflowSources.All.Select(pair => (pair.Key + ".cs", pair.Value)).Append((RefundsPath, Refunds)).ToArray();
        var compilation = TestCompilation.Create(CompileSettings.Default, sources);
        var result = TestCompilation.CreateDriver(CompileSettings.Default, trackSteps: true).RunGenerators(compilation).GetRunResult().Results[0];

        var problems = s_trackingNames
            .SelectMany(name => result.TrackedSteps[name].SelectMany(step => step.Outputs).Select(output => (name, output.Value)))
            .SelectMany(pair => ObjectGraph.FindReferenceEquality(pair.Value, pair.name))
            .Distinct()
            .ToArray();
        Assert.True(problems.Length == 0, "Pipeline values that compare by reference:\n" + string.Join("\n", problems.Take(50)));
    }

    [Fact]
    public void ObjectGraphWalkFindsSymbols()
    {
        // The walk above is only worth something if it sees through records, arrays and boxes.
        var compilation = TestCompilation.Create(CompileSettings.Default, Orders);
        var symbol = compilation.GetTypeByMetadataName("Shop.Orders")!;
        var holder = new { Items = new object[] { 1, "x", new { Deep = new KeyValuePair<string, object>("k", symbol) } } };

        var problems = ObjectGraph.FindForbidden(holder, "holder");

        Assert.Single(problems);
        Assert.Contains("ISymbol", problems[0], StringComparison.Ordinal);
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) Rerun(
        Func<CSharpCompilation, CSharpCompilation> edit) => Rerun(compilation => compilation, edit);

    private static (GeneratorRunResult First, GeneratorRunResult Second) Rerun(
        Func<CSharpCompilation, CSharpCompilation> setup,
        Func<CSharpCompilation, CSharpCompilation> edit,
        int expectedGenerated = 2)
    {
        var settings = CompileSettings.Default;
        var compilation = setup(TestCompilation.Create(settings, new[] { (OrdersPath, Orders), (InvoicesPath, Invoices), (RefundsPath, Refunds) }));
        var driver = TestCompilation.CreateDriver(settings, trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results[0];
        Assert.Null(first.Exception);
        Assert.Equal(expectedGenerated, first.GeneratedSources.Length);

        driver = driver.RunGenerators(edit(compilation));
        var second = driver.GetRunResult().Results[0];
        Assert.Null(second.Exception);
        return (first, second);
    }

    private static CSharpCompilation AddShipments(CSharpCompilation compilation) =>
        compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Shipments, CompileSettings.Default.ParseOptions, ShipmentsPath));

    private static string ShipmentsText(GeneratorRunResult result) =>
        result.GeneratedSources.Single(source => source.HintName == "Shop.Shipments.Flows.g.cs").SourceText.ToString();

    private static CSharpCompilation Edit(CSharpCompilation compilation, string path, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(tree => tree.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.True(text.Contains(oldText, StringComparison.Ordinal), $"'{oldText}' is not in {path}.");
        var edited = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace(oldText, newText, StringComparison.Ordinal)));
        return compilation.ReplaceSyntaxTree(tree, edited);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string trackingName)
    {
        Assert.True(result.TrackedSteps.TryGetValue(trackingName, out var steps), $"No tracked step '{trackingName}'. Tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
        return steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
    }

    /// <summary>
    /// Every output of every tracked step is Cached or Unchanged, except <paramref name="expectedModified"/>
    /// Modified ones per tracking name (the skipped workflow's FLOW017, which no test edits, none).
    /// </summary>
    private static void AssertTracked(GeneratorRunResult result, int expectedModified)
    {
        foreach (var name in s_trackingNames)
        {
            if (name == TrackingNames.NotGenerated)
            {
                Assert.True(Reasons(result, name).All(reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), $"{name}: [{string.Join(", ", Reasons(result, name))}]");
                continue;
            }

            var reasons = Reasons(result, name);
            var table = string.Join(", ", reasons);
            Assert.True(reasons.Length > 0, $"{name}: no outputs.");
            Assert.True(
                reasons.All(reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Modified),
                $"{name}: unexpected reasons [{table}]");
            Assert.True(reasons.Count(reason => reason == IncrementalStepRunReason.Modified) == expectedModified, $"{name}: expected {expectedModified} Modified, got [{table}]");
        }
    }

    /// <summary>The source outputs: the first reason once if given two, all others the last one.</summary>
    private static void AssertOutputs(GeneratorRunResult result, params IncrementalStepRunReason[] expected)
    {
        var reasons = result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
        var table = string.Join(", ", reasons);
        Assert.True(reasons.Length > 0, "No tracked output steps.");
        if (expected.Length == 1)
        {
            Assert.True(reasons.All(reason => reason == expected[0]), $"Expected every output {expected[0]}, got [{table}]");
        }
        else
        {
            Assert.True(reasons.Count(reason => reason == expected[0]) == 1, $"Expected exactly one output {expected[0]}, got [{table}]");
            Assert.True(reasons.Count(reason => reason == expected[1]) == reasons.Length - 1, $"Expected the other outputs {expected[1]}, got [{table}]");
        }
    }

    private static void AssertSameText(GeneratorRunResult first, GeneratorRunResult second)
    {
        Assert.Equal(first.GeneratedSources.Select(source => source.HintName), second.GeneratedSources.Select(source => source.HintName));
        Assert.Equal(first.GeneratedSources.Select(source => source.SourceText.ToString()), second.GeneratedSources.Select(source => source.SourceText.ToString()));
    }
}
