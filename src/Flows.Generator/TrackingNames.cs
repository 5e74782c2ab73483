namespace Flows.Generator;

/// <summary>Names of the pipeline steps, so that tests can read their run reasons.</summary>
internal static class TrackingNames
{
    /// <summary>What the parser made of each <c>[Workflow]</c> class: its model, or the error that stops generation.</summary>
    public const string Models = "Flows.Models";

    /// <summary>The models that can be generated, after nulls are dropped.</summary>
    public const string Workflows = "Flows.Workflows";

    /// <summary>The workflows that cannot be generated, with the error FLOW017 names.</summary>
    public const string NotGenerated = "Flows.NotGenerated";
}
