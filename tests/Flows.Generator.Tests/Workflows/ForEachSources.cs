using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Loops;

[Workflow]
public partial class Thumbnails
{
    [Step]
    public string[] Paths(string folder) => new[] { folder + "/a.png", folder + "/b.png" };

    // An array source, unbounded, synchronous body.
    [ParallelForEach(nameof(Paths), MaxDegreeOfParallelism = -1)]
    public int Size(string path) => path.Length;

    // An input named only by the foreach source: RunAsync takes an IReadOnlyList<int>.
    [ParallelForEach("widths", MaxDegreeOfParallelism = 2, BatchSize = 10, DelayBetweenBatchesMilliseconds = 5, MaxItemsPerSecond = 100)]
    public ValueTask<int> Scale(int width, CancellationToken cancellationToken) => new(width / 2);

    [Step]
    public IEnumerable<string> Names(string[] paths) => paths;

    // A lazy enumerable, failures kept as outcomes.
    [ParallelForEach(nameof(Names), ContinueOnError = true, MinSuccessRate = 0.5)]
    public Task<string> Upload(string name, StepContext context) => Task.FromResult(name + "@" + context.Index);

    [Step]
    public async IAsyncEnumerable<int> Ticks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    // A streamed source.
    [ParallelForEach(nameof(Ticks), MaxDegreeOfParallelism = 3)]
    public void Tick(int tick, CancellationToken cancellationToken)
    {
    }

    [Step]
    public int Total(IReadOnlyList<int> size, IReadOnlyList<int> scale, IReadOnlyList<Outcome<string>> upload) => size.Count + scale.Count + upload.Count;
}

public static class ForEachSourcesUsage
{
    public static async Task<int> RunAsync() => await new Thumbnails().RunAsync(folder: "/img", widths: new[] { 100, 200 }, count: 3);
}
