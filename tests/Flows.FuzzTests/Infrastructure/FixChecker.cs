using System.Threading;
using Flows.Analyzers.Tests.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>
/// Invariant 6: every code fix offered for a Flows diagnostic of a fuzz input applies without throwing, leaves code with
/// no compiler error the input did not have, brings no new Flows error, and removes the diagnostic it was offered for.
/// Applied as an IDE would, through a workspace (<see cref="CodeFixHarness"/>, shared with the code-fix tests).
/// </summary>
internal static class FixChecker
{
    /// <summary>At most this many diagnostics per input have their fixes applied: each costs a binding per action.</summary>
    public const int MaxDiagnosticsPerInput = 2;

    private static readonly HashSet<string> s_fixableIds = CodeFixHarness.Fixes.SelectMany(fix => fix.FixableDiagnosticIds).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="diagnostics"/> (of the oracle's binding) has something a Flows code fix is offered for.</summary>
    public static bool HasFixable(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Any(d => s_fixableIds.Contains(d.Id) && d.Location.IsInSource && !d.Location.SourceTree!.FilePath.EndsWith(Oracle.GeneratedSuffix, StringComparison.Ordinal));

    /// <summary>Applies the fixes for up to <see cref="MaxDiagnosticsPerInput"/> fixable diagnostics (of different IDs first).</summary>
    public static void Check(FuzzInput input, CSharpCompilationOptions options, Observation observation, CancellationToken cancellationToken)
    {
        var solution = CodeFixHarness.CreateSolution(input.Files.Select(file => (file.Path, file.Text)).ToArray(), options, input.Settings.ParseOptions);
        var project = solution.Projects.Single();
        var (before, generatorFailure) = CodeFixHarness.AnalyzeAsync(project).GetAwaiter().GetResult();
        if (generatorFailure is not null)
        {
            return; // Invariant 1 reports it.
        }

        var targets = before
            .Where(d => s_fixableIds.Contains(d.Id) && d.Location.IsInSource && project.GetDocument(d.Location.SourceTree) is not null)
            .Select((diagnostic, index) => (diagnostic, index))
            .GroupBy(pair => pair.diagnostic.Id)
            .SelectMany(group => group.Select((pair, rank) => (pair.diagnostic, pair.index, rank)))
            .OrderBy(pair => pair.rank).ThenBy(pair => pair.index)
            .Take(MaxDiagnosticsPerInput)
            .Select(pair => pair.diagnostic)
            .ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        var (applied, problems) = CodeFixHarness.ApplyOfferedFixesAsync(solution, before, targets).GetAwaiter().GetResult();
        observation.FixTargets += targets.Length;
        observation.FixesApplied += applied;
        foreach (var (kind, detail) in problems)
        {
            observation.Findings.Add(new Finding(Invariants.CodeFix, $"{Invariants.CodeFix}: {kind}", detail));
        }
    }
}
