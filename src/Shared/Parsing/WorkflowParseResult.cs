using System.Collections.Immutable;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parsing;

/// <summary>
/// What the parser learned of one workflow: the model to generate from (null when nothing can be generated),
/// the problems to report, and the step methods in model order. Only the model crosses into the
/// generator's incremental pipeline; problems and symbols are for the analyzers.
/// </summary>
internal sealed class WorkflowParseResult
{
    public WorkflowParseResult(WorkflowModel? model, ImmutableArray<WorkflowProblem> problems, ImmutableArray<IMethodSymbol> stepMethods)
    {
        Model = model;
        Problems = problems;
        StepMethods = stepMethods;
    }

    public WorkflowModel? Model { get; }

    public ImmutableArray<WorkflowProblem> Problems { get; }

    public ImmutableArray<IMethodSymbol> StepMethods { get; }
}

/// <summary>A problem in a workflow's declaration, reported by the analyzers with the descriptor of <see cref="Id"/>.</summary>
internal sealed class WorkflowProblem
{
    public WorkflowProblem(string id, Location location, ImmutableArray<Location> additionalLocations, params string[] arguments)
    {
        Id = id;
        Location = location;
        AdditionalLocations = additionalLocations;
        Arguments = arguments;
    }

    public string Id { get; }

    public Location Location { get; }

    public ImmutableArray<Location> AdditionalLocations { get; }

    /// <summary>The message arguments, all strings.</summary>
    public string[] Arguments { get; }

    /// <summary>What a code fix needs that the message only shows (a type's full name), by the keys of <see cref="Flows.Analyzers.DiagnosticIds"/>.</summary>
    public ImmutableDictionary<string, string?> Properties { get; init; } = ImmutableDictionary<string, string?>.Empty;

    public override string ToString() => $"{Id} at {Location.GetLineSpan()}: {string.Join(", ", Arguments)}";
}
