using System.Collections.Concurrent;
using System.Diagnostics;

namespace Flows.Samples.Batch;

/// <summary>A customer record to send to a partner's API.</summary>
public sealed record CustomerRecord(int Id, string Name);

/// <summary>What the partner answered for one record.</summary>
public sealed record UploadReceipt(int RecordId, string Reference);

/// <summary>
/// Uploads records to a partner API that accepts at most 50 requests a second and asks clients to send
/// batches of 10 with a quarter of a second between them. The foreach options say exactly that; the
/// generated loop does the pacing.
/// </summary>
/// <remarks>Generated: <c>RunAsync(IReadOnlyList&lt;CustomerRecord&gt; records, CancellationToken)</c>.</remarks>
[Workflow(Durable = true)]
public sealed partial class RecordUploadWorkflow
{
    public const int BatchSize = 10;
    public const int DelayBetweenBatchesMilliseconds = 250;
    public const int MaxItemsPerSecond = 50;

    private readonly ConcurrentDictionary<int, long> _startTimestamps = new();

    /// <summary>When each record's upload started (a <see cref="Stopwatch"/> timestamp), in record order.</summary>
    public IReadOnlyList<long> StartTimestamps => [.. _startTimestamps.OrderBy(start => start.Key).Select(start => start.Value)];

    // Within a batch up to 5 uploads run at once, and starts are spaced 1/50 s apart. A batch starts when the
    // previous one has completed and the delay has passed.
    [ParallelForEach("records", MaxDegreeOfParallelism = 5, BatchSize = BatchSize,
                     DelayBetweenBatchesMilliseconds = DelayBetweenBatchesMilliseconds, MaxItemsPerSecond = MaxItemsPerSecond)]
    public async Task<UploadReceipt> UploadAsync(CustomerRecord record, StepContext context, CancellationToken cancellationToken)
    {
        _startTimestamps[context.Index] = Stopwatch.GetTimestamp();
        await Task.Delay(40, cancellationToken).ConfigureAwait(false);   // the partner's response time
        return new UploadReceipt(record.Id, $"P-{record.Id * 7919 % 100_000:00000}");
    }
}
