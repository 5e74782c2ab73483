using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Benchmarks;

/// <summary>
/// G1: the first run of the generator over a project of 200 workflows of 10 steps and 800 other files, as in a
/// command-line build. Target: at most 1.5x the time of a minimal <c>ForAttributeWithMetadataName</c> generator that
/// finds the same classes (the baseline). Each invocation runs a new driver over a clone of the parsed project, so
/// nothing bound by an earlier invocation is reused. Ten warm-up iterations: an invocation is one run, and the
/// generator's code needs more runs than that to reach its optimized JIT tier.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 10, iterationCount: 15)]
public class G1GeneratorColdRun
{
    private CSharpCompilation _project = null!;

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratorBenchmarkProject.Create();

        // The comparison only means something if every generator finds every workflow and writes one file for each.
        foreach (var (name, generator) in new[]
        {
            ("Minimal", Generators.Minimal()),
            ("SignatureReading", Generators.SignatureReading()),
            ("Flows", Generators.Flows()),
        })
        {
            var result = GeneratorBenchmarkProject.Driver(generator).RunGenerators(_project.Clone()).GetRunResult();
            var sources = result.Results.Single().GeneratedSources.Length;
            if (sources != GeneratorBenchmarkProject.Workflows || !result.Diagnostics.IsEmpty)
            {
                throw new InvalidOperationException(
                    $"{name} generated {sources} sources for {GeneratorBenchmarkProject.Workflows} workflows, diagnostics: {string.Join("; ", result.Diagnostics)}");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver Minimal() => GeneratorBenchmarkProject.Driver(Generators.Minimal()).RunGenerators(_project.Clone());

    /// <summary>Not a target: the binding a generator that reads the steps' signatures cannot avoid.</summary>
    [Benchmark]
    public GeneratorDriver SignatureReading() => GeneratorBenchmarkProject.Driver(Generators.SignatureReading()).RunGenerators(_project.Clone());

    [Benchmark]
    public GeneratorDriver Flows() => GeneratorBenchmarkProject.Driver(Generators.Flows()).RunGenerators(_project.Clone());
}
