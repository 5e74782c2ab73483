using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Policies;

[Workflow]
public partial class Quotes
{
    // Whoever answers first wins; the group's output is named after the group.
    [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)]
    public Task<decimal> FromAlpha(int amount, CancellationToken cancellationToken) => Task.FromResult(amount * 1.1m);

    [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)]
    public Task<decimal> FromBeta(int amount, CancellationToken cancellationToken) => Task.FromResult(amount * 1.2m);

    // Failures become failed outcomes; fewer than one success fails the run.
    [Step, Parallel("extras", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 1, TimeoutMilliseconds = 5_000)]
    public Task<string> Insurance(decimal quote) => Task.FromResult("insured " + quote);

    [Step, Parallel("extras")]
    public string Discount(decimal quote) => "discount " + quote;

    [Step(ContinueOnError = true)]
    public int Loyalty(int amount) => amount / 10;

    [Step]
    public string Summary(decimal quote, Outcome<string> insurance, Outcome<string> discount, Outcome<int> loyalty) =>
        quote + " " + (insurance.IsSuccess ? insurance.Value : "-") + " " + (discount.TryGetValue(out var d) ? d : "-") + " " + (loyalty.IsSuccess ? loyalty.Value : 0);
}

public static class FailurePoliciesUsage
{
    public static async Task<string> RunAsync() => await new Quotes().RunAsync(amount: 100);
}
