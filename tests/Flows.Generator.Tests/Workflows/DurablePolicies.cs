using System.Threading;
using System.Threading.Tasks;
using Flows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Samples.Durable.Policies;

[Workflow(Durable = true, TimeoutMilliseconds = 60_000)]
public partial class Underwriting
{
    [Step]
    public int Risk(string customer) => customer.Length;

    // Both checks run to the end; their failures are thrown together.
    [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)]
    public Task<bool> Credit(int risk, CancellationToken cancellationToken) => Task.FromResult(risk < 10);

    [Step, Parallel("checks")]
    public bool Fraud(int risk) => risk > 100;

    // Failures become failed outcomes; fewer than one success, or the block outlasting ten seconds, fails the run.
    [Step, Parallel("offers", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 1, TimeoutMilliseconds = 10_000)]
    public Task<decimal> Basic(int risk) => Task.FromResult(risk * 10m);

    [Step, Parallel("offers")]
    public decimal Premium(int risk, bool credit, bool fraud) => credit && !fraud ? risk * 20m : throw new System.InvalidOperationException("declined");

    // A step outside a group whose failure does not fail the run.
    [Step(ContinueOnError = true)]
    public string Referral(string customer) => customer.ToUpperInvariant();

    // Whichever broker answers first; the group's output is named after the group.
    [Step, Parallel("broker", Failure = FailurePolicy.FirstSuccess, TimeoutMilliseconds = 5_000)]
    public Task<string> BrokerA(Outcome<decimal> basic, Outcome<string> referral, CancellationToken cancellationToken) =>
        Task.FromResult("A " + (basic.IsSuccess ? basic.Value : 0m) + (referral.TryGetValue(out var name) ? " " + name : ""));

    [Step, Parallel("broker")]
    public Task<string> BrokerB(Outcome<decimal> premium) => Task.FromResult("B " + (premium.IsSuccess ? premium.Value : 0m));

    // The last stage has two values: the result is a tuple of them.
    [Step, Parallel("final")]
    public string Letter(string broker) => "Dear customer, " + broker;

    [Step, Parallel("final")]
    public decimal Price(Outcome<decimal> basic, Outcome<decimal> premium) =>
        premium.TryGetValue(out var p) ? p : basic.TryGetValue(out var b) ? b : 0m;
}

public static class DurablePoliciesUsage
{
    public static void Register(DurableTaskRegistry registry) => Underwriting.Durable.Register(registry);

    public static async Task<string> RunAsync(DurableTaskClient client)
    {
        var (letter, price) = await Underwriting.Durable.RunAsync(client, customer: "ann");
        var id = await Underwriting.Durable.ScheduleAsync(client, "bob");
        var named = await Underwriting.Durable.WaitForResultAsync(client, id);
        return letter + price + named.Letter + named.Price;
    }
}
