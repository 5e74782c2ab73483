using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Returns;

// One step of every return kind, each in a stage of its own.
[Workflow]
public partial class EveryReturnType
{
    [Step]
    public void Prepare()
    {
    }

    [Step]
    public int Seed(int start) => start + 1;

    [Step]
    public Task Warm(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);

    [Step]
    public async Task<long> Widen(int seed)
    {
        await Task.Yield();
        return seed * 10L;
    }

    [Step]
    public ValueTask Flush() => default;

    [Step]
    public ValueTask<string> Describe(long widen, CancellationToken cancellationToken) =>
        new(widen.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public static class ReturnTypesUsage
{
    public static async Task<string> RunAsync() => await new EveryReturnType().RunAsync(start: 4);
}
