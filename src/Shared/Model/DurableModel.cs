namespace Flows.Generator.Model;

/// <summary>
/// What the durable emitter needs beyond the in-process model, for a <c>[Workflow(Durable = true)]</c> class that can
/// run durably (no FLOW015/FLOW016): the names on the task hub and how an activity creates the workflow.
/// </summary>
/// <param name="OrchestrationName">The orchestrator's name on the task hub: <c>Flows.&lt;Namespace&gt;.&lt;Type&gt;</c>.</param>
/// <param name="ConstructorParameters">The fully qualified types of the constructor's parameters, each resolved from the worker's services; empty for a parameterless constructor or a static class.</param>
internal sealed record DurableModel(string OrchestrationName, EquatableArray<string> ConstructorParameters);
