using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.Batch;

/// <summary>Runs <see cref="RecordUploadWorkflow"/> over 30 records and shows the batches and the measured start rate.</summary>
internal static class BatchSample
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        string[] names = ["Almeida", "Berg", "Costa", "Dahl", "Eriksen", "Ferreira", "Gomes", "Hansen", "Iversen", "Jensen"];
        var records = Enumerable.Range(1, 30).Select(id => new CustomerRecord(id, names[(id - 1) % names.Length])).ToArray();
        var workflow = new RecordUploadWorkflow();

        output.WriteLine(
            $"Uploading {records.Length} records in batches of {RecordUploadWorkflow.BatchSize}, " +
            $"{RecordUploadWorkflow.DelayBetweenBatchesMilliseconds} ms between batches, " +
            $"at most {RecordUploadWorkflow.MaxItemsPerSecond} starts per second ...");
        output.WriteLine();

        var origin = Stopwatch.GetTimestamp();
        var receipts = await workflow.RunAsync(records, cancellationToken);
        var wallTime = Stopwatch.GetElapsedTime(origin);

        var starts = workflow.StartTimestamps.Select(timestamp => Stopwatch.GetElapsedTime(origin, timestamp).TotalMilliseconds).ToArray();
        var rates = new List<double>();
        double? previousBatchEnd = null;
        for (var first = 0; first < starts.Length; first += RecordUploadWorkflow.BatchSize)
        {
            var batch = starts.Skip(first).Take(RecordUploadWorkflow.BatchSize).Order().ToArray();
            var gap = previousBatchEnd is { } end ? $"   ({Formatting.Milliseconds(batch[0] - end)} after the previous batch's last start)" : string.Empty;
            output.WriteLine(
                $"  batch {first / RecordUploadWorkflow.BatchSize + 1}: records {first + 1,2}-{first + batch.Length,-2}  " +
                $"started {Formatting.Milliseconds(batch[0]),8} to {Formatting.Milliseconds(batch[^1]),8}{gap}");
            rates.Add((batch.Length - 1) / ((batch[^1] - batch[0]) / 1000));
            previousBatchEnd = batch[^1];
        }

        output.WriteLine();
        output.WriteLine(
            $"Measured start rate within a batch: {Formatting.Number(rates.Average(), "0.0")} items/s " +
            $"(limit {RecordUploadWorkflow.MaxItemsPerSecond}).");
        output.WriteLine(
            $"{receipts.Count} receipts (first {receipts[0].Reference}, last {receipts[^1].Reference}) " +
            $"in {Formatting.Milliseconds(wallTime)}, {Formatting.Number(receipts.Count / wallTime.TotalSeconds, "0.0")} items/s overall.");
    }
}
