using System.Collections.Immutable;
using System.Text;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Benchmarks;

/// <summary>
/// The project G1 and G2 run the generators over, built in memory: 200 workflows of 10 steps (a group of three, a
/// foreach, a group of three and a join, with inputs, step outputs and a helper class each) and 800 ordinary files,
/// compiled against the .NET 8 reference assemblies and Flows.Abstractions.
/// </summary>
internal static class GeneratorBenchmarkProject
{
    public const int Workflows = 200;
    public const int OtherFiles = 800;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    /// <summary>The whole project, parsed; nothing bound yet.</summary>
    public static CSharpCompilation Create()
    {
        var trees = new List<SyntaxTree>(Workflows + OtherFiles + 1)
        {
            Parse("Helper.cs", "namespace Cost;\npublic static class Helper { public static int Round(int value) => value - value % 1; }\n"),
        };
        for (var i = 1; i <= Workflows; i++)
        {
            trees.Add(Parse(WorkflowPath(i), Workflow(i)));
        }

        for (var i = 1; i <= OtherFiles; i++)
        {
            trees.Add(Parse(ModelPath(i), Model(i)));
        }

        return CSharpCompilation.Create(
            "Flows.Benchmarks.GeneratorProject",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static SyntaxTree Parse(string path, string source) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path, Encoding.UTF8);

    public static string WorkflowPath(int i) => $"Workflows/Workflow{i}.cs";

    public static string ModelPath(int i) => $"Other/Model{i}.cs";

    public static string Workflow(int i, string extraMember = "", int seedOffset = 1) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Cost.Workflows;

        public sealed class Store{{i}}
        {
            private readonly object _gate = new();
            private readonly List<int> _saved = new();
            public void Save(int value) { lock (_gate) { _saved.Add(value); } }
            public int Count { get { lock (_gate) { return _saved.Count; } } }
        }

        [Workflow]
        public partial class Workflow{{i}}(Store{{i}} store, HttpClient http)
        {
            private readonly object _gate = new();
            private readonly Dictionary<string, int> _prices = new() { ["a"] = 1 };
            private int _total;
            private int _locked;

            [Step] public Task<int[]> Load(int seed, CancellationToken ct) => Task.FromResult(new[] { seed, seed + {{seedOffset}}, seed + 2 });

            [Step, Parallel("checks")] public async Task<bool> CheckA(int[] load, CancellationToken ct) { await Task.Yield(); return Price("a") + load.Length > 0; }
            [Step, Parallel("checks")] public bool CheckB(int[] load) { lock (_gate) { _locked += load.Length; } return _prices.ContainsKey("a"); }
            [Step, Parallel("checks")] public Task<string> CheckC(CancellationToken ct) => http.GetStringAsync("https://example.invalid/{{i}}", ct);

            [ParallelForEach(nameof(Load), MaxDegreeOfParallelism = 4)]
            public async Task<int> Process(int item, StepContext context, CancellationToken ct)
            {
                await Task.Delay(0, ct);
                Interlocked.Add(ref _total, item);
                store.Save(item);
                return Square(item);
            }

            [Step] public int Sum(IReadOnlyList<int> process) => process.Sum() + Volatile.Read(ref _total);

            [Step, Parallel("finish")] public int FinishA(int sum) => sum + Price("a");
            [Step, Parallel("finish")] public int FinishB(int sum) => sum * 2 + store.Count;
            [Step, Parallel("finish")] public async Task<int> FinishC(int sum, CancellationToken ct) { await Task.Delay(0, ct); return sum; }

            [Step] public int Total(int finishA, int finishB, int finishC) => finishA + finishB + finishC;
        {{extraMember}}
            private int Price(string name) => _prices.TryGetValue(name, out var price) ? price : Helper.Round(price);
            private static int Square(int value) => Helper.Round(value * value);
        }
        """;

    public static string Model(int i, string extraMember = "") => $$"""
        using System.Collections.Generic;
        using System.Linq;

        namespace Cost.Models;

        public sealed class Model{{i}}
        {
            private readonly List<string> _names = new();
            private int _count;
            public string Name { get; set; } = "model{{i}}";
            public void Add(string name) { _names.Add(name); _count++; }
            public int Score(IEnumerable<int> values) => values.Where(v => v > {{i % 7}}).Select(v => v * 2).Sum() + _count;
            public override string ToString() => string.Join(",", _names) + Name;
        {{extraMember}}
        }
        """;

    public static GeneratorDriver Driver(IIncrementalGenerator generator, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { generator.AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}

/// <summary>
/// The floor G1 and G2 compare the Flows generator with: finds the same <c>[Workflow]</c> classes through
/// <c>ForAttributeWithMetadataName</c>, keeps only their names and writes one empty partial declaration per class.
/// Whatever Flows spends above it is reading the workflow and writing the orchestration.
/// </summary>
internal sealed class MinimalWorkflowGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Flows.WorkflowAttribute",
            static (node, _) => node is ClassDeclarationSyntax,
            static (context, _) => context.TargetSymbol.Name);

        context.RegisterSourceOutput(names, static (context, name) =>
            context.AddSource(name + ".g.cs", "partial class " + name + " { }\n"));
    }
}

/// <summary>
/// Not a target, a measure of where Flows' time goes: finds the same classes and binds what Flows has to read of each
/// (every method's attributes with their arguments, its return type and its parameters' types and attributes), then
/// writes the same empty declaration as <see cref="MinimalWorkflowGenerator"/>. The gap between it and the minimal
/// generator is the binding any generator that reads the steps pays; the gap between it and Flows is Flows' own work.
/// </summary>
internal sealed class SignatureReadingGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Flows.WorkflowAttribute",
            static (node, _) => node is ClassDeclarationSyntax,
            static (context, _) =>
            {
                var seen = 0;
                foreach (var member in ((INamedTypeSymbol)context.TargetSymbol).GetMembers())
                {
                    if (member is not IMethodSymbol method)
                    {
                        continue;
                    }

                    foreach (var attribute in method.GetAttributes())
                    {
                        seen += attribute.ConstructorArguments.Length + attribute.NamedArguments.Length;
                    }

                    seen += method.ReturnType.SpecialType == SpecialType.None ? 1 : 0;
                    foreach (var parameter in method.Parameters)
                    {
                        seen += parameter.Type.SpecialType == SpecialType.None ? 1 : 0;
                        seen += parameter.GetAttributes().Length;
                    }
                }

                return (context.TargetSymbol.Name, seen);
            });

        context.RegisterSourceOutput(names, static (context, read) =>
            context.AddSource(read.Name + ".g.cs", "partial class " + read.Name + " { } // " + read.seen + "\n"));
    }
}

/// <summary>The generators the G benchmarks compare.</summary>
internal static class Generators
{
    public static IIncrementalGenerator Flows() => new WorkflowGenerator();

    public static IIncrementalGenerator Minimal() => new MinimalWorkflowGenerator();

    public static IIncrementalGenerator SignatureReading() => new SignatureReadingGenerator();
}
