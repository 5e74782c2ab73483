namespace Flows.Generator;

/// <summary>Names of the pipeline steps, so that tests can read their run reasons.</summary>
internal static class TrackingNames
{
    /// <summary>The workflow models built from each <c>[Workflow]</c> class (null where nothing can be generated).</summary>
    public const string Models = "Flows.Models";

    /// <summary>The models that can be generated, after nulls are dropped.</summary>
    public const string Workflows = "Flows.Workflows";
}
