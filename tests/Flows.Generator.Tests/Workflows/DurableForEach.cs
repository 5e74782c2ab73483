using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Flows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Samples.Durable.Loops;

public sealed record BatchSummary(int Bytes, int Tags, int Uploaded);

[Workflow(Durable = true)]
public partial class ImageBatch
{
    [Step]
    public string[] Paths(string folder) => new[] { folder + "/a.png", folder + "/b.png", folder + "/c.png" };

    // At most four items at once; each item retried on I/O failures and timeouts, each attempt bounded.
    [ParallelForEach(nameof(Paths), MaxDegreeOfParallelism = 4)]
    [Retry(3, DelayMilliseconds = 50, Backoff = Backoff.Exponential, Jitter = true, RetryOn = new[] { typeof(IOException), typeof(TimeoutException) })]
    [Timeout(2_000)]
    public async Task<int> Resize(string path, StepContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return path.Length * context.Attempt + context.Index;
    }

    // An input named only by the foreach source, no degree: as many at once as the scheduling client has processors.
    [ParallelForEach("tags")]
    public string Normalize(string tag) => tag.Trim().ToUpperInvariant();

    // Failures kept as outcomes; batches of two with a pause between them, at most twenty starts a second.
    [ParallelForEach(nameof(Paths), ContinueOnError = true, MinSuccessRate = 0.5, BatchSize = 2, DelayBetweenBatchesMilliseconds = 10, MaxItemsPerSecond = 20)]
    public Task<long> Upload(string path) => Task.FromResult((long)path.Length);

    [Step]
    public BatchSummary Summarize(IReadOnlyList<int> resize, IReadOnlyList<string> normalize, IReadOnlyList<Outcome<long>> upload)
    {
        var bytes = 0;
        foreach (var size in resize)
        {
            bytes += size;
        }

        var uploaded = 0;
        foreach (var outcome in upload)
        {
            uploaded += outcome.IsSuccess ? 1 : 0;
        }

        return new BatchSummary(bytes, normalize.Count, uploaded);
    }
}

public static class DurableForEachUsage
{
    public static void Register(DurableTaskRegistry registry) => ImageBatch.Durable.Register(registry);

    public static async Task<int> RunAsync(DurableTaskClient client) =>
        (await ImageBatch.Durable.RunAsync(client, folder: "/img", tags: new[] { " a", "b " })).Bytes;
}
