#nullable enable
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Inputs;

// Inputs declared by several steps become one RunAsync parameter each, in order of first appearance;
// a nullable input keeps its annotation.
[Workflow]
public partial class Shipping
{
    [Step]
    public string Address(string customerId, string? country) => customerId + "@" + (country ?? "??");

    [Step]
    public Task<int> Zone(string customerId, string address, int weight, CancellationToken cancellationToken) =>
        Task.FromResult(customerId.Length + address.Length + weight);

    [Step]
    public decimal Cost(int zone, int weight, string? country) => zone * weight * (country is null ? 2m : 1m);
}

public static class SharedInputsUsage
{
    public static async Task<decimal> RunAsync() => await new Shipping().RunAsync(customerId: "c-1", country: null, weight: 3);
}
