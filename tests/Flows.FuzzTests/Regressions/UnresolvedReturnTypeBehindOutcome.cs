// fuzz-input family: mutation
// fuzz-input seed: 1432635601
// fuzz-input settings: enable 12.0
// fuzz-input expect-accepted: false
// fuzz-input description: NestedType: NestedType.cs: [Parallel("checks", Failure = FailurePolicy.ContinueOnError)] on Parse; type 'Task<>' := Lazy<>
// fuzz-input description: (minimized) FLOW011's fix is right; the FLOW008 it uncovers restates the CS0246 the input had
// ===== file: NestedType.cs =====
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Nesting;

[Workflow]
public partial class Inner
{
    [Parallel("checks", Failure = FailurePolicy.ContinueOnError)]
    [Step]
    public int Parse(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Step]
    public Lazy<int> Double(int parse, CancellationToken ct) => Task.FromResult(parse * 2);
}
