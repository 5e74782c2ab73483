using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Benchmarks;

/// <summary>
/// G2: one edit in the IDE after the generator has run over the G1 project. Targets: every tracked output is
/// Cached or Unchanged after an edit to an unrelated file or to a step's body, exactly one is Modified after a new
/// step (checked in the setup, which throws otherwise); and the rerun takes at most 1.5x the time of the minimal
/// <c>ForAttributeWithMetadataName</c> generator after the same edit (the baseline). Each invocation reruns the warm
/// driver over a new compilation holding the edited file, as the IDE does on a keystroke. Ten warm-ups, as in G1.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 10, iterationCount: 15)]
public class G2GeneratorEdits
{
    public enum EditKind
    {
        UnrelatedFile,
        StepBody,
        NewStep,
    }

    private CSharpCompilation _project = null!;
    private SyntaxTree _before = null!;
    private SyntaxTree _after = null!;
    private GeneratorDriver _minimal = null!;
    private GeneratorDriver _signatures = null!;
    private GeneratorDriver _flows = null!;

    [Params(EditKind.UnrelatedFile, EditKind.StepBody, EditKind.NewStep)]
    public EditKind Edit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratorBenchmarkProject.Create();
        const int edited = 17;
        var (path, source) = Edit switch
        {
            EditKind.UnrelatedFile => (
                GeneratorBenchmarkProject.ModelPath(edited),
                GeneratorBenchmarkProject.Model(edited, "    public int Twice() => _count * 2;")),
            EditKind.StepBody => (
                GeneratorBenchmarkProject.WorkflowPath(edited),
                GeneratorBenchmarkProject.Workflow(edited, seedOffset: 5)),
            _ => (
                GeneratorBenchmarkProject.WorkflowPath(edited),
                GeneratorBenchmarkProject.Workflow(edited, "    [Step] public int Report(int total) => total + 1;")),
        };
        _before = _project.SyntaxTrees.Single(tree => tree.FilePath == path);
        _after = GeneratorBenchmarkProject.Parse(path, source);

        _minimal = GeneratorBenchmarkProject.Driver(Generators.Minimal()).RunGenerators(_project);
        _signatures = GeneratorBenchmarkProject.Driver(Generators.SignatureReading()).RunGenerators(_project);
        _flows = GeneratorBenchmarkProject.Driver(Generators.Flows()).RunGenerators(_project);
        CheckIncrementality();
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver Minimal() => _minimal.RunGenerators(_project.ReplaceSyntaxTree(_before, _after));

    /// <summary>Not a target: the binding a generator that reads the steps' signatures cannot avoid on every edit.</summary>
    [Benchmark]
    public GeneratorDriver SignatureReading() => _signatures.RunGenerators(_project.ReplaceSyntaxTree(_before, _after));

    [Benchmark]
    public GeneratorDriver Flows() => _flows.RunGenerators(_project.ReplaceSyntaxTree(_before, _after));

    /// <summary>The output reasons the design asks of each edit, on a driver that tracks its steps.</summary>
    private void CheckIncrementality()
    {
        var tracked = GeneratorBenchmarkProject.Driver(Generators.Flows(), trackSteps: true).RunGenerators(_project);
        var result = tracked.RunGenerators(_project.ReplaceSyntaxTree(_before, _after)).GetRunResult().Results.Single();
        var reasons = result.TrackedOutputSteps
            .SelectMany(pair => pair.Value)
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToArray();
        var modified = reasons.Count(reason => reason == IncrementalStepRunReason.Modified);
        var untouched = reasons.Count(reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        var expectedModified = Edit == EditKind.NewStep ? 1 : 0;
        if (reasons.Length != GeneratorBenchmarkProject.Workflows || modified != expectedModified || modified + untouched != reasons.Length)
        {
            throw new InvalidOperationException(
                $"{Edit}: {reasons.Length} tracked outputs, {modified} Modified (expected {expectedModified}), "
                + string.Join(", ", reasons.GroupBy(reason => reason).Select(group => $"{group.Key} {group.Count()}")));
        }
    }
}
