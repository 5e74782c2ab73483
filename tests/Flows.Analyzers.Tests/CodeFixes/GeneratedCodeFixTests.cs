using System.Collections.Concurrent;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace Flows.Analyzers.Tests.CodeFixes;

/// <summary>
/// Every code action the Flows code fixes offer, on generated workflows (see <see cref="WorkflowVariants"/>): applying it
/// does not throw, the result compiles with the regenerated workflow, brings no new Flows error, and the diagnostic
/// it was offered for is gone from its place; where a document has two diagnostics, FixAll does the same.
/// </summary>
/// <remarks>
/// <c>FLOWS_CODEFIX_SEED</c> replays a seed (or <c>random</c> for a new one); <c>FLOWS_CODEFIX_CASES</c> sets how
/// many inputs. The seed is printed with every run.
/// </remarks>
public class GeneratedCodeFixTests
{
    private const int DefaultSeed = 20261206;
    private const int DefaultCases = 200;

    private readonly ITestOutputHelper _output;

    public GeneratedCodeFixTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Every_offered_fix_compiles_and_removes_its_diagnostic_on_generated_workflows()
    {
        var seedText = Environment.GetEnvironmentVariable("FLOWS_CODEFIX_SEED");
        var seed = seedText switch
        {
            null or "" => DefaultSeed,
            "random" => Environment.TickCount & int.MaxValue,
            _ => int.Parse(seedText, CultureInfo.InvariantCulture),
        };
        var count = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_CODEFIX_CASES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var requested) ? requested : DefaultCases;
        var variants = new WorkflowVariants(seed);
        var cases = Enumerable.Range(0, count).Select(variants.Next).ToArray();

        var failures = new ConcurrentBag<(int Index, GeneratedCase Case, string Failure)>();
        int diagnostics = 0, actions = 0, fixAlls = 0;
        var perId = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, cases.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (index, _) =>
            {
                var generated = cases[index];
                CodeFixHarness.Report report;
                try
                {
                    report = await CodeFixHarness.CheckAsync(generated.Sources, generated.TargetId, generated.ExpectFix, generated.FixableMessage);
                }
                catch (Exception exception)
                {
                    failures.Add((index, generated, "The harness threw: " + exception));
                    return;
                }

                Interlocked.Add(ref diagnostics, report.Diagnostics);
                Interlocked.Add(ref actions, report.ActionsApplied);
                Interlocked.Add(ref fixAlls, report.FixAllApplied);
                perId.AddOrUpdate(generated.TargetId, report.ActionsApplied, (_, sum) => sum + report.ActionsApplied);
                foreach (var failure in report.Failures)
                {
                    failures.Add((index, generated, failure));
                }
            });

        var summary = $"seed {seed} (FLOWS_CODEFIX_SEED={seed} replays it): {cases.Length} inputs, {diagnostics} diagnostics, {actions} code actions applied "
            + $"({string.Join(", ", perId.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))}), {fixAlls} FixAll, "
            + $"{failures.Count} failures in {failures.Select(f => f.Index).Distinct().Count()} inputs";
        _output.WriteLine(summary);
        foreach (var (index, generated, failure) in failures.OrderBy(f => f.Index).Take(8))
        {
            _output.WriteLine($"\n#### input {index}: {generated.Description}\n{failure}\n---- sources:\n{string.Join("\n---- next file:\n", generated.Sources)}");
        }

        // FLOWS_CODEFIX_DUMP=path writes every failure with its input, for a long run.
        if (Environment.GetEnvironmentVariable("FLOWS_CODEFIX_DUMP") is { Length: > 0 } dump)
        {
            File.WriteAllText(dump, summary + string.Concat(failures.OrderBy(f => f.Index).Select(f =>
                $"\n\n#### input {f.Index}: {f.Case.Description}\n{f.Failure}\n---- sources:\n{string.Join("\n---- next file:\n", f.Case.Sources)}")));
        }

        // Each kind of input was fixed, so the checks above ran on something.
        Assert.True(perId.Count == 5 && perId.Values.All(applied => applied > 0), summary);
        Assert.True(failures.IsEmpty, summary + "\n" + string.Join("\n", failures.OrderBy(f => f.Index).Take(3).Select(f => $"input {f.Index}: {f.Case.Description}\n{f.Failure}")));
    }
}
