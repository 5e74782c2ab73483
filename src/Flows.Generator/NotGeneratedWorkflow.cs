using System.Collections.Immutable;
using System.Globalization;
using Flows.Analyzers;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Flows.Generator;

/// <summary>
/// A <c>[Workflow]</c> the generator skipped, and the first error that made it: what FLOW017 says. It crosses the
/// incremental pipeline, so it holds text and positions, never a <see cref="Location"/> (whose tree changes on every
/// edit) or a symbol.
/// </summary>
/// <param name="Workflow">The workflow type's name.</param>
/// <param name="ErrorId">The ID of the first error that stops generation.</param>
/// <param name="ErrorPosition">Where that error is: <c>File.cs(line,column)</c>.</param>
/// <param name="ErrorMessage">Its message, as the analyzer reports it (without the common ending FLOW017 would repeat).</param>
/// <param name="Location">The name of the workflow type, where FLOW017 is reported.</param>
internal sealed record NotGeneratedWorkflow(string Workflow, string ErrorId, string ErrorPosition, string ErrorMessage, LocationInfo Location)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.NotGenerated, Location.ToLocation(), Workflow, ErrorId, ErrorPosition, ErrorMessage);

    /// <summary>The first error of <paramref name="problems"/>, or null when there is none (then the workflow was generated).</summary>
    public static NotGeneratedWorkflow? From(INamedTypeSymbol type, Location typeName, ImmutableArray<WorkflowProblem> problems)
    {
        foreach (var problem in problems)
        {
            if (!DiagnosticDescriptors.ById.TryGetValue(problem.Id, out var descriptor) || descriptor.DefaultSeverity != DiagnosticSeverity.Error)
            {
                continue;
            }

            var message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), problem.Arguments);
            if (message.EndsWith(DiagnosticDescriptors.NotGeneratedSuffix, System.StringComparison.Ordinal))
            {
                message = message.Substring(0, message.Length - DiagnosticDescriptors.NotGeneratedSuffix.Length);
            }

            var span = problem.Location.GetLineSpan();
            var position = string.Format(
                CultureInfo.InvariantCulture,
                "{0}({1},{2})",
                System.IO.Path.GetFileName(span.Path),
                span.StartLinePosition.Line + 1,
                span.StartLinePosition.Character + 1);
            return new NotGeneratedWorkflow(type.Name, problem.Id, position, message, LocationInfo.From(typeName));
        }

        return null;
    }
}

/// <summary>A source location as text and positions, equal when they are.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo From(Location location) =>
        new(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
