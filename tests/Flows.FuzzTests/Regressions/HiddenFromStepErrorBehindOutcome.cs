// fuzz-input family: mutation
// fuzz-input seed: 1542218814
// fuzz-input settings: enable latest
// fuzz-input expect-accepted: false
// fuzz-input description: FromStepAndAsyncSuffix: FromStepAndAsyncSuffix.cs: [Parallel("g", Failure = FailurePolicy.ContinueOnError)] on CountAsync; [FromStep] argument 'nameof(FetchAsync)' := new System.Type[0]; member 'public class Durable { }'
// fuzz-input description: (minimized)
// fuzz-input finding: I6: code fix brought a new Flows error: FLOW007 (UseOutcomeCodeFix on FLOW011)
// fuzz-input finding: UseOutcomeCodeFix 'Take 'total' as an Outcome' on FLOW011 FromStepAndAsyncSuffix.cs[920..925) 'total': Parameter 'total' of step 'Render' takes the plain value of 'CountAsync', which may fail without failing the run; declare it as 'Flows.Outcome<int>'; RunAsync is not generated while this error stands:
// fuzz-input finding:   1 FLOW007 after the fix, 0 before: FLOW007 FromStepAndAsyncSuffix.cs[946..964) 'new System.Type[0]': Parameter 'again' of step 'Render' cannot be bound: [FromStep] needs the constant name of a step, such as nameof(Step); RunAsync is not generated while this error stands
// fuzz-input finding: --- FromStepAndAsyncSuffix.cs after the fix:
// fuzz-input finding: using System.Collections.Generic;
// fuzz-input finding: using System.Threading;
// fuzz-input finding: using System.Threading.Tasks;
// fuzz-input finding: using Flows;
// fuzz-input finding: 
// fuzz-input finding: namespace Samples.Binding;
// fuzz-input finding: 
// fuzz-input finding: [Workflow]
// fuzz-input finding: public partial class Report
// fuzz-input finding: {
// fuzz-input finding:     public class Durable { }
// fuzz-input finding: 
// fuzz-input finding:     // Output name "Fetch": consumers write "fetch".
// fuzz-input finding:     [Step]
// fuzz-input finding:     public Task<IReadOnlyList<string>> FetchAsync(string query, CancellationToken cancellationToken) =>
// fuzz-input finding:         Task.FromResult<IReadOnlyList<string>>(new[] { query, query });
// fuzz-input finding: 
// fuzz-input finding:     // Output name "Count".
// fuzz-input finding:     [Parallel("g", Failure = FailurePolicy.ContinueOnError)]
// fuzz-input finding:     [Step]
// fuzz-input finding:     public ValueTask<int> CountAsync(IReadOnlyList<string> fetch) => new(fetch.Count);
// fuzz-input finding: 
// fuzz-input finding:     // Bound explicitly, by method name and by output name, whatever the parameter is called; the second
// fuzz-input finding:     // takes the output through an implicit reference conversion.
// fuzz-input finding:     [Step]
// fuzz-input finding:     public string Render([FromStep(nameof(FetchAsync))] IReadOnlyList<string> rows, [FromStep("Count")] Outcome<int> total, [FromStep(new System.Type[0])] IEnumerable<string> again) =>
// fuzz-input finding:         string.Join(",", rows) + "/" + total.Value + "/" + string.Join(",", again);
// fuzz-input finding: }
// fuzz-input finding: 
// fuzz-input finding: 
// ===== file: FromStepAndAsyncSuffix.cs =====
using System.Collections.Generic;
using System.Threading.Tasks;
using Flows;

namespace Samples.Binding;

[Workflow]
public partial class Report
{

    // Output name "Count".
    [Parallel("g", Failure = FailurePolicy.ContinueOnError)]
    [Step]
    public ValueTask<int> CountAsync() => new(fetch.Count);

    // Bound explicitly, by method name and by output name, whatever the parameter is called; the second
    // takes the output through an implicit reference conversion.
    [Step]
    public string Render([FromStep("Count")] int total, [FromStep(new System.Type[0])] IEnumerable<string> again) =>
        string.Join(",", rows) + "/" + total + "/" + string.Join(",", again);
}
