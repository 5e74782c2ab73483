using System;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Groups;

[Workflow]
public partial class Enrichment
{
    [Step]
    public Task<string> Load(int id, CancellationToken cancellationToken) => Task.FromResult("item-" + id);

    // Fail-fast (the default): async members with and without a token, a synchronous one that runs on the
    // thread pool, and one that returns nothing.
    [Step, Parallel("lookups")]
    public Task<int> Stock(string load, CancellationToken cancellationToken) => Task.FromResult(load.Length);

    [Step, Parallel("lookups")]
    public async ValueTask<decimal> Price(string load)
    {
        await Task.Yield();
        return 9.99m;
    }

    [Step, Parallel("lookups")]
    public string Checksum(string load) => load.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Step, Parallel("lookups")]
    public Task Audit(string load) => Task.CompletedTask;

    // Every member runs to the end; failures are thrown together.
    [Step, Parallel("notify", Failure = FailurePolicy.WaitAll)]
    public void Log(string load, int stock)
    {
        GC.KeepAlive(load);
        GC.KeepAlive(stock);
    }

    [Step, Parallel("notify", Failure = FailurePolicy.WaitAll)]
    public ValueTask Publish(decimal price, CancellationToken cancellationToken) => default;

    [Step, Parallel("notify", Failure = FailurePolicy.WaitAll)]
    public bool Archive(string checksum) => checksum.Length > 0;

    [Step]
    public string Summary(string load, int stock, decimal price, bool archive) =>
        FormattableString.Invariant($"{load}: {stock} at {price} ({archive})");
}

public static class ParallelGroupsUsage
{
    public static async Task<string> RunAsync() => await new Enrichment().RunAsync(id: 7);
}
