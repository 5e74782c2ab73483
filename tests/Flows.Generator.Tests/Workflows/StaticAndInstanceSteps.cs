using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Mixed;

[Workflow]
public sealed partial class Pricing
{
    private readonly decimal _rate;

    public Pricing(decimal rate) => _rate = rate;

    [Step]
    private static decimal Net(decimal gross) => gross / 1.2m;

    [Step]
    internal Task<decimal> Converted(decimal net, CancellationToken ct) => Task.FromResult(net * _rate);

    [Step]
    internal static ValueTask<decimal> Rounded(decimal converted) => new(decimal.Round(converted, 2));
}

public static class StaticAndInstanceStepsUsage
{
    public static async Task<decimal> RunAsync() => await new Pricing(1.1m).RunAsync(gross: 120m);
}
