// fuzz-input family: mutation
// fuzz-input seed: 1632048020
// fuzz-input settings: disable latest
// fuzz-input expect-accepted: false
// fuzz-input description: TupleResult: TupleResult.cs: member 'public int RunAsync;'; remove 'partial' from the workflow; add a modifier (internal public)
// fuzz-input description: (minimized)
// fuzz-input finding: I6: code fix left code that does not compile: CS0262 (MakePartialCodeFix on FLOW005)
// fuzz-input finding: MakePartialCodeFix 'Make 'Dashboard' partial' on FLOW005 TupleResult.cs[276..285) 'Dashboard': 'Dashboard' must be partial: Flows generates the RunAsync of workflow 'Dashboard' into it; RunAsync is not generated while this error stands:
// fuzz-input finding:   does not compile: CS0262 TupleResult.cs[283..292) 'Dashboard': Partial declarations of 'Dashboard' have conflicting accessibility modifiers
// fuzz-input finding: --- TupleResult.cs after the fix:
// fuzz-input finding: using System.Threading;
// fuzz-input finding: using System.Threading.Tasks;
// fuzz-input finding: using Flows;
// fuzz-input finding: 
// fuzz-input finding: namespace Samples.Tuples;
// fuzz-input finding: 
// fuzz-input finding: // The last stage has several values: RunAsync returns a named tuple of them in declaration order,
// fuzz-input finding: // leaving out the member that returns nothing.
// fuzz-input finding: [Workflow]
// fuzz-input finding: internal public partial class Dashboard
// fuzz-input finding: {
// fuzz-input finding:     public int RunAsync;
// fuzz-input finding: 
// fuzz-input finding:     [Step]
// fuzz-input finding:     public int UserId(string login) => login.Length;
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("widgets")]
// fuzz-input finding:     public Task<int> Unread(int userId, CancellationToken cancellationToken) => Task.FromResult(userId * 3);
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("widgets")]
// fuzz-input finding:     public Task Ping(int userId) => Task.CompletedTask;
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("widgets")]
// fuzz-input finding:     public ValueTask<string> Greeting(int userId) => new("hi " + userId);
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("widgets")]
// fuzz-input finding:     public bool IsAdmin(int userId) => userId == 0;
// fuzz-input finding: }
// fuzz-input finding: 
// fuzz-input finding: 
// ===== file: TupleResult.cs =====
using Flows;

namespace Samples.Tuples;

// The last stage has several values: RunAsync returns a named tuple of them in declaration order,
// leaving out the member that returns nothing.
[Workflow]
internal public  class Dashboard
{
}
