// fuzz-input description: [Step(ContinueOnError = true)] on a foreach step: consumers were promised Outcome<IReadOnlyList<T>>
// fuzz-input description: that the generated loop never made; now FLOW009 (use ParallelForEach's own ContinueOnError).
// fuzz-input finding: I2 generated code has an error: CS0029 (Samples.Batch: [Step(ContinueOnError = true)] on UploadAsync)
using System.Collections.Generic;
using System.Threading.Tasks;
using Flows;

namespace Regressions.ForEachOutcome;

[Workflow]
public partial class Upload
{
    [Step(ContinueOnError = true), ParallelForEach("records")]
    public Task<int> SendAsync(string item) => Task.FromResult(item.Length);

    [Step]
    public int Count(Outcome<IReadOnlyList<int>> send) => send.IsSuccess ? send.Value.Count : 0;
}

[Workflow]
public partial class PerItem
{
    [ParallelForEach("records", ContinueOnError = true)]
    public Task<int> SendAsync(string item) => Task.FromResult(item.Length);

    [Step]
    public int Count(IReadOnlyList<Outcome<int>> send) => send.Count;
}
