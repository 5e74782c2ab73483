// fuzz-input description: a foreach source named like a member Flows generates ("MermaidDiagram"): the generator (which
// fuzz-input description: does not see the member) made it an input, the analyzers (which do) reported FLOW010.
// fuzz-input finding: I4 generated despite a FLOW error: FLOW010 ([ParallelForEach] argument 'nameof(Pages)' := "MermaidDiagram")
using Flows;

namespace Regressions.GeneratedNames;

[Workflow]
public partial class Diagrams
{
    [ParallelForEach("MermaidDiagram")]
    public int Length(string item) => item.Length;
}
