using System.Text.RegularExpressions;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>
/// Failure classes being fixed on <c>main</c> (issue "Unseen input"): a finding that matches one is counted and
/// reported, but does not fail the run. Every other finding fails it. Delete an entry when its fix lands: from then on
/// the class is enforced.
/// </summary>
/// <remarks>
/// The matches are narrow — the finding's invariant and the mutation that made the input (its description), rarely
/// the input's text — so that a new failure does not hide behind an old one. <c>FLOWS_FUZZ_STRICT=1</c> ignores this
/// table altogether.
/// </remarks>
internal static class KnownOpen
{
    private sealed record Entry(string Name, Func<Finding, FuzzInput, bool> Matches);

    private static readonly Regex s_nullStepName = new(@"\[(?:After|FromStep)\]? ?(?:argument '[^']*' := |\()(?:null|default|\(string\)null)", RegexOptions.Compiled);
    private static readonly Regex s_escapedString = new(@":= (?:""[^""]*(?:\\[nrt0u""\\]|\*/|-->|[^\x20-\x7E])|@""|""""""|\(|""[^""]*""\.)", RegexOptions.Compiled);
    private static readonly Regex s_generatedLocal = new(@"__(?:exception|block|item|observer)\b", RegexOptions.Compiled);
    private static readonly Regex s_collision = new(@"(?:member '[^\n]*\b(?:RunAsync|OnStepStarting|OnStepCompleted|OnStepFailed|MermaidDiagram)\b|(?:rename|renamed)[^;\n]* to (?:RunAsync|OnStepStarting|OnStepCompleted|OnStepFailed|MermaidDiagram)\b)", RegexOptions.Compiled);
    private static readonly Regex s_nullableTask = new(@":= (?:Task|ValueTask)(?:<[^;\n]*>)?\?", RegexOptions.Compiled);

    private static bool InGeneratedCode(Finding f) =>
        f.Invariant is Invariants.GeneratedCodeError or Invariants.GeneratedCodeWarning or Invariants.UserCodeBroken;

    private static readonly Entry[] s_entries =
    {
        // "hint name with @ in namespace": AddSource refuses the hint name.
        new("hint name with '@'", (f, input) => f.Invariant == Invariants.GeneratorThrew && f.Message.Contains("hintName", StringComparison.Ordinal) && f.Message.Contains("'@'", StringComparison.Ordinal)),

        // "[After(null!)]/[FromStep(null!)] producing nothing and no diagnostic".
        new("[After]/[FromStep] with a null step name", (f, input) => f.Invariant is Invariants.NotGeneratedNoFlowError or Invariants.ValidInputRejected && s_nullStepName.IsMatch(input.Description)),

        // "user strings with line breaks/quotes in XML docs, Mermaid, literals".
        new("user strings in XML docs, Mermaid, literals", (f, input) => InGeneratedCode(f) && s_escapedString.IsMatch(input.Description)),

        // "foreach body returning dynamic".
        new("foreach body returning dynamic", (f, input) => InGeneratedCode(f) && input.Description.Contains("dynamic", StringComparison.Ordinal)),

        // "last step returning a private nested type (CS0050)" and its relatives.
        new("result of an inaccessible nested type", (f, input) => f.Invariant == Invariants.GeneratedCodeError && (f.Key.EndsWith("CS0050", StringComparison.Ordinal) || f.Key.EndsWith("CS0051", StringComparison.Ordinal) || f.Key.EndsWith("CS0052", StringComparison.Ordinal) || f.Key.EndsWith("CS0053", StringComparison.Ordinal))),

        // "hooks without partial / user RunAsync collisions".
        new("hooks without partial, user RunAsync collisions", (f, input) => InGeneratedCode(f) && s_collision.IsMatch(input.Description)),

        // "inputs named like generated locals (__exception, __block, __item, __observer)".
        new("inputs named like generated locals", (f, input) => InGeneratedCode(f) && s_generatedLocal.IsMatch(input.Description)),

        // "foreach source = a FirstSuccess member's own output".
        new("foreach over a FirstSuccess member's output", (f, input) => (InGeneratedCode(f) || f.Invariant == Invariants.NotGeneratedNoFlowError) && input.Files.Any(file => file.Text.Contains("FirstSuccess", StringComparison.Ordinal) && file.Text.Contains("ParallelForEach", StringComparison.Ordinal))),

        // "Task<int>? returns and nullable warnings in generated code".
        new("nullable task returns, nullable warnings", (f, input) => (f.Invariant == Invariants.GeneratedCodeWarning && f.Key.Contains(": CS86", StringComparison.Ordinal)) || (InGeneratedCode(f) && s_nullableTask.IsMatch(input.Description))),
    };

    public static bool Strict => Environment.GetEnvironmentVariable("FLOWS_FUZZ_STRICT") is "1" or "true";

    /// <summary>The known-open class a finding belongs to, or null when it is a new failure.</summary>
    public static string? Match(Finding finding, FuzzInput input)
    {
        if (Strict)
        {
            return null;
        }

        foreach (var entry in s_entries)
        {
            if (entry.Matches(finding, input))
            {
                return entry.Name;
            }
        }

        return null;
    }
}
