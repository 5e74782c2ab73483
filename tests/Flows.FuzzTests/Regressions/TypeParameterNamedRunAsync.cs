// fuzz-input family: mutation
// fuzz-input seed: 141191390
// fuzz-input settings: enable latest
// fuzz-input expect-accepted: false
// fuzz-input description: GenericWorkflow: GenericWorkflow.cs: rename type parameter 'T' to RunAsync everywhere (11x); member 'private static int MaxDegreeOfParallelism;'
// fuzz-input description: (minimized)
// fuzz-input finding: I2 generated code has an error: CS0102
// fuzz-input finding:   Flows.Generator/Flows.Generator.WorkflowGenerator/Samples.Generics.Flow`1.Flows.g.cs(26,89): error CS0102: The type 'Flow<RunAsync>' already contains a definition for 'RunAsync'
// fuzz-input finding:       | public global::System.Threading.Tasks.ValueTask<(int Distinct, RunAsync First)> RunAsync(global::System.Collections.Generic.IEnumerable<RunAsync> items, global::System.Threading.CancellationToken cancellationToken = default) =>
// fuzz-input finding:   Flows.Generator/Flows.Generator.WorkflowGenerator/Samples.Generics.Flow`1.Flows.g.cs(35,89): error CS0102: The type 'Flow<RunAsync>' already contains a definition for 'RunAsync'
// fuzz-input finding:       | public global::System.Threading.Tasks.ValueTask<(int Distinct, RunAsync First)> RunAsync(global::System.Collections.Generic.IEnumerable<RunAsync> items, global::Flows.FlowControl control, global::System.Threading.CancellationToken cancellationToken = default)
// fuzz-input finding:   Flows.Generator/Flows.Generator.WorkflowGenerator/Samples.Generics.Flow`1.Flows.g.cs(47,89): error CS0102: The type 'Flow<RunAsync>' already contains a definition for 'RunAsync'
// fuzz-input finding:       | public global::System.Threading.Tasks.ValueTask<(int Distinct, RunAsync First)> RunAsync(global::System.Collections.Generic.IEnumerable<RunAsync> items, global::Flows.ExecutionTimeline timeline, global::System.Threading.CancellationToken cancellationToken = default)
// fuzz-input finding:   Flows.Generator/Flows.Generator.WorkflowGenerator/Samples.Generics.Flow`1.Flows.g.cs(60,89): error CS0102: The type 'Flow<RunAsync>' already contains a definition for 'RunAsync'
// fuzz-input finding:       | public global::System.Threading.Tasks.ValueTask<(int Distinct, RunAsync First)> RunAsync(global::System.Collections.Generic.IEnumerable<RunAsync> items, global::Flows.FlowControl control, global::Flows.ExecutionTimeline timeline, global::System.Threading.CancellationToken cancellationToken = default)
// fuzz-input finding: 
// ===== file: GenericWorkflow.cs =====
using Flows;

namespace Samples.Generics;

[Workflow]
public partial class Flow<RunAsync>
    where RunAsync : notnull
{
}
