using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Flows.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace Flows.Generator.Tests;

/// <summary>
/// The generator never throws on anything a user can type (DESIGN.md, reliability bars): every workflow source,
/// mutated thousands of times — truncated, tokens deleted, duplicated and swapped — runs through the generator
/// without an exception. A mutant whose own code compiles must also get generated code that compiles.
/// </summary>
public sealed class FuzzTests
{
    /// <summary>Fixed so that a failure reproduces; <c>FLOWS_FUZZ_SEED</c> explores other inputs.</summary>
    private const int DefaultSeed = 20_261_122;
    private const int DefaultVariants = 2_000;

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    private static readonly CSharpCompilation s_emptyCompilation = TestCompilation.Create(CompileSettings.Default);

    private enum Mutation
    {
        Truncate,
        DeleteToken,
        DeleteRange,
        DuplicateToken,
        SwapAdjacent,
        SwapAny,
        MoveToken,
    }

    [Fact]
    public void GeneratorNeverThrowsOnMutatedWorkflows()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var total = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_FUZZ_VARIANTS"), out var v) ? v : DefaultVariants;
        var sources = WorkflowSources.All.ToArray();
        var perSource = (total + sources.Length - 1) / sources.Length;
        var settings = CompileSettings.Default;

        // One generator instance for every run, as the compiler keeps it; the driver is new per variant.
        var generator = new WorkflowGenerator().AsSourceGenerator();
        var jobs = sources.SelectMany((source, sourceIndex) => Enumerable.Range(0, perSource).Select(i => (Name: source.Key, Text: source.Value, Seed: unchecked(seed + (sourceIndex * 100_003) + i)))).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var generatedCount = 0;
        var validCount = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            var (variant, description) = Mutate(job.Text, job.Seed);
            var failure = Check(generator, settings, variant, ref generatedCount, ref validCount);
            if (failure is not null)
            {
                failures.Add($"{job.Name}, seed {job.Seed} ({description}): {failure}\n----- variant -----\n{variant}\n-------------------");
            }
        });

        _output.WriteLine($"{jobs.Length} variants of {sources.Length} workflows (seed {seed}) in {stopwatch.Elapsed.TotalSeconds:F1} s; {generatedCount} generated code, {validCount} of them parsed and had no error in the generated code.");
        if (!failures.IsEmpty)
        {
            var sorted = failures.OrderBy(failure => failure.Length).ToArray();
            Assert.Fail($"{sorted.Length} of {jobs.Length} variants failed (seed {seed}). The shortest:\n\n{string.Join("\n\n", sorted.Take(5))}");
        }

        Assert.True(total < DefaultVariants || jobs.Length >= DefaultVariants, $"Only {jobs.Length} variants.");
    }

    [Theory]
    [InlineData("Checkout", 20_261_122)]
    public void ReplaysOneVariant(string workflow, int variantSeed)
    {
        // Paste a failing workflow and seed here to debug it alone.
        var (variant, description) = Mutate(WorkflowSources.Get(workflow), variantSeed);
        var generated = 0;
        var valid = 0;
        var failure = Check(new WorkflowGenerator().AsSourceGenerator(), CompileSettings.Default, variant, ref generated, ref valid);
        Assert.True(failure is null, $"{description}: {failure}\n{variant}");
    }

    private static string? Check(ISourceGenerator generator, CompileSettings settings, string variant, ref int generatedCount, ref int validCount)
    {
        // Derived from one empty compilation, so that every variant shares its bound references.
        var input = s_emptyCompilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(variant, settings.ParseOptions, "Variant.cs"));
        var driver = CSharpGeneratorDriver.Create(new[] { generator }, parseOptions: settings.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var result = driver.GetRunResult();
        if (result.Results.Single().Exception is { } exception)
        {
            return "the generator threw " + exception;
        }

        var crashes = diagnostics.Concat(result.Diagnostics).Where(d => d.Id is "CS8784" or "CS8785" or "AD0001").ToArray();
        if (crashes.Length > 0)
        {
            return "the driver reported " + string.Join("; ", crashes.Select(d => d.ToString()));
        }

        if (result.GeneratedTrees.IsEmpty)
        {
            return null;
        }

        Interlocked.Increment(ref generatedCount);
        if (input.SyntaxTrees.Any(tree => tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)))
        {
            return null; // The user's code does not even parse: nothing to hold the generated code to.
        }

        // Generated code may fail to compile only because the user's code does: when the generated files have
        // errors and the user's file has none, the generator broke a program that was fine. (The user's file is
        // only compiled in that rare case: binding every variant would take minutes.)
        var generatedErrors = result.GeneratedTrees
            .SelectMany(tree => output.GetSemanticModel(tree).GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToArray();
        if (generatedErrors.Length == 0)
        {
            Interlocked.Increment(ref validCount);
            return null;
        }

        var userErrors = output.SyntaxTrees.Except(result.GeneratedTrees)
            .SelectMany(tree => output.GetSemanticModel(tree).GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error);
        var errors = generatedErrors.Concat(userErrors).ToArray();
        if (errors.Length == generatedErrors.Length)
        {
            var text = new StringBuilder("the user's code compiles but the generated code does not:\n");
            foreach (var error in errors.Take(10))
            {
                var line = error.Location.SourceTree!.GetText().Lines[error.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim();
                text.Append("  ").Append(error).Append("\n      | ").Append(line).Append('\n');
            }

            return text.ToString();
        }

        return null;
    }

    /// <summary>One to three mutations of <paramref name="source"/>, chosen by <paramref name="seed"/> alone.</summary>
    private static (string Variant, string Description) Mutate(string source, int seed)
    {
        var random = new Random(seed);
        var tokens = Tokenize(source);
        var applied = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count && tokens.Count > 2; i++)
        {
            var mutation = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
            var a = random.Next(tokens.Count);
            var b = random.Next(tokens.Count);
            switch (mutation)
            {
                case Mutation.Truncate:
                {
                    // At any character, not only between tokens.
                    var text = string.Concat(tokens);
                    var at = random.Next(text.Length);
                    applied.Add($"truncate at char {at}");
                    return (text.Substring(0, at), string.Join(", ", applied));
                }

                case Mutation.DeleteToken:
                    applied.Add($"delete token {a} '{tokens[a].Trim()}'");
                    tokens.RemoveAt(a);
                    break;
                case Mutation.DeleteRange:
                {
                    var length = Math.Min(random.Next(2, 8), tokens.Count - a);
                    applied.Add($"delete tokens {a}..{a + length - 1}");
                    tokens.RemoveRange(a, length);
                    break;
                }

                case Mutation.DuplicateToken:
                    applied.Add($"duplicate token {a} '{tokens[a].Trim()}'");
                    tokens.Insert(a, tokens[a]);
                    break;
                case Mutation.SwapAdjacent:
                    a = Math.Min(a, tokens.Count - 2);
                    applied.Add($"swap tokens {a} '{tokens[a].Trim()}' and {a + 1} '{tokens[a + 1].Trim()}'");
                    (tokens[a], tokens[a + 1]) = (tokens[a + 1], tokens[a]);
                    break;
                case Mutation.SwapAny:
                    applied.Add($"swap tokens {a} '{tokens[a].Trim()}' and {b} '{tokens[b].Trim()}'");
                    (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
                    break;
                case Mutation.MoveToken:
                {
                    var token = tokens[a];
                    tokens.RemoveAt(a);
                    b = Math.Min(b, tokens.Count);
                    applied.Add($"move token {a} '{token.Trim()}' to {b}");
                    tokens.Insert(b, token);
                    break;
                }
            }
        }

        return (string.Concat(tokens), string.Join(", ", applied));
    }

    /// <summary>The tokens with their trivia, so that concatenating them gives back the source.</summary>
    private static List<string> Tokenize(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens(descendIntoTrivia: false).Select(token => token.ToFullString()).ToList();
}
