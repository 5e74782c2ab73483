// fuzz-input description: a durable workflow whose input is a list of outcomes (no step produces it): the input was sent unconverted into a wire-form property; now FLOW015 on the input, RunAsync generated, no Durable class.
// fuzz-input finding: I2 generated code has an error: CS0029 ('IReadOnlyList<Outcome<long>>' to 'DurableOutcome<long>[]', '@out = @out')
using System.Collections.Generic;
using Flows;

namespace Regressions.DurableOutcomeInput;

public sealed record BatchSummary(int Tags);

[Workflow(Durable = true)]
public partial class ImageBatch
{
    [Step]
    public BatchSummary Summarize(IReadOnlyList<string> normalize, IReadOnlyList<Outcome<long>> @out) => new(normalize.Count + @out.Count);
}
