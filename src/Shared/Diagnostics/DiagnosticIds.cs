namespace Flows.Analyzers;

/// <summary>The IDs of every Flows diagnostic. The workflow parser, shared with the generator, uses them too.</summary>
internal static class DiagnosticIds
{
    public const string DependentParallelSteps = "FLOW001";
    public const string SharedMutableState = "FLOW002";
    public const string ThreadUnsafeObject = "FLOW003";
    public const string BlockingCall = "FLOW004";
    public const string NotPartial = "FLOW005";
    public const string StepOrder = "FLOW006";
    public const string UnboundParameter = "FLOW007";
    public const string InvalidStepSignature = "FLOW008";
    public const string InvalidOption = "FLOW009";
    public const string InvalidForEachSource = "FLOW010";
    public const string OutcomeRequired = "FLOW011";
    public const string FirstSuccessTypes = "FLOW012";
    public const string StepsInSeveralDeclarations = "FLOW013";
    public const string MisnamedInput = "FLOW014";
    public const string NotDurable = "FLOW015";
    public const string DurableTaskNotReferenced = "FLOW016";
    public const string NotGenerated = "FLOW017";

    /// <summary>FLOW011's property: the full name of the Outcome type the parameter should declare.</summary>
    public const string OutcomeTypeProperty = "OutcomeType";
}
