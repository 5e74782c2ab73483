namespace Flows.Generator;

/// <summary>
/// Metadata names of the Flows types the generator and analyzers recognise. The generator does not
/// reference Flows.Abstractions; a unit test pins each name to <c>typeof(X).FullName</c>.
/// </summary>
internal static class KnownTypeNames
{
    public const string Namespace = "Flows";

    public const string WorkflowAttribute = "Flows.WorkflowAttribute";
    public const string StepAttribute = "Flows.StepAttribute";
    public const string ParallelAttribute = "Flows.ParallelAttribute";
    public const string ParallelForEachAttribute = "Flows.ParallelForEachAttribute";
    public const string RetryAttribute = "Flows.RetryAttribute";
    public const string TimeoutAttribute = "Flows.TimeoutAttribute";
    public const string FromStepAttribute = "Flows.FromStepAttribute";
    public const string AfterAttribute = "Flows.AfterAttribute";
    public const string ThreadSafeAttribute = "Flows.ThreadSafeAttribute";
    public const string StepContext = "Flows.StepContext";
    public const string Outcome = "Flows.Outcome`1";
    public const string FlowControl = "Flows.FlowControl";
}
