using System.Diagnostics;
using System.Text;
using Flows.Samples.Shared;

namespace Flows.Samples.WordCount;

/// <summary>
/// Counts the words of a generated 3-million-word text with <see cref="WordCountWorkflow"/> and with a plain
/// loop on one thread, and compares the two.
/// </summary>
internal static class WordCountSample
{
    private const int Words = 3_000_000;

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var text = MakeText(Words, seed: 7);
        var chunkCount = Environment.ProcessorCount * 4;
        output.WriteLine(
            $"Counting the words of a {Formatting.Number(text.Length / 1_000_000.0, "0.0")}-million-character text in {chunkCount} chunks " +
            $"on {Environment.ProcessorCount} processors ...");

        // Measured fairly: both paths run once on the full text to warm up (JIT tiers, dictionary growth), then three
        // times each, alternating, and the medians are compared.
        const int Runs = 3;
        var sequential = Sequential(text, chunkCount);
        var parallel = await new WordCountWorkflow().RunAsync(text, chunkCount, cancellationToken);
        var sequentialTimes = new TimeSpan[Runs];
        var parallelTimes = new TimeSpan[Runs];
        for (var run = 0; run < Runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            sequential = Sequential(text, chunkCount);
            sequentialTimes[run] = stopwatch.Elapsed;

            stopwatch.Restart();
            parallel = await new WordCountWorkflow().RunAsync(text, chunkCount, cancellationToken);
            parallelTimes[run] = stopwatch.Elapsed;
        }

        var sequentialTime = Median(sequentialTimes);
        var parallelTime = Median(parallelTimes);

        var same = sequential.TotalWords == parallel.TotalWords
            && sequential.ByWord.Count == parallel.ByWord.Count
            && sequential.ByWord.All(pair => parallel.ByWord.GetValueOrDefault(pair.Key) == pair.Value);

        output.WriteLine();
        output.WriteLine($"{Formatting.Number(parallel.TotalWords, "#,##0")} words, {parallel.ByWord.Count} distinct. Top words:");
        foreach (var (word, count) in parallel.Top(5))
        {
            output.WriteLine($"  {word,-8}{Formatting.Number(count, "#,##0"),10}");
        }

        output.WriteLine();
        output.WriteLine($"Median of {Runs} runs each, after one warm-up run of each:");
        output.WriteLine($"  one thread, chunk after chunk  {Formatting.Milliseconds(sequentialTime),9}");
        output.WriteLine($"  WordCountWorkflow.RunAsync     {Formatting.Milliseconds(parallelTime),9}");
        var speedup = sequentialTime / parallelTime;
        output.WriteLine(
            $"Speedup {Formatting.Number(speedup, "0.0")}x on {Environment.ProcessorCount} processors; " +
            $"counts {(same ? "identical" : "DIFFERENT")} to the sequential ones.");
        if (speedup > Environment.ProcessorCount)
        {
            // Parallel work cannot be more than ProcessorCount times faster; a figure above it is the machine's noise
            // (other work slowing the sequential runs) or the cache, not Flows.
            output.WriteLine(
                $"(More than {Environment.ProcessorCount} processors can give: the sequential runs were slowed by something else " +
                "on this machine, or the smaller per-chunk dictionaries fit the caches better. Run it again for a steadier figure.)");
        }
    }

    private static TimeSpan Median(TimeSpan[] times)
    {
        var sorted = times.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    // The baseline: the same chunks, counted and merged one after another on the calling thread.
    private static WordCounts Sequential(string text, int chunkCount)
    {
        var total = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in WordCounter.Split(text, chunkCount))
        {
            WordCounter.Merge(total, WordCounter.Count(chunk.AsSpan()));
        }

        return new WordCounts(total.Values.Sum(), total);
    }

    // Words drawn from a small vocabulary with a skewed distribution, as in natural text.
    private static string MakeText(int words, int seed)
    {
        string[] vocabulary =
        [
            "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "with", "as", "river", "ship",
            "harbour", "light", "north", "wind", "salt", "night", "road", "stone", "bread", "market", "letter", "winter",
            "bridge", "garden", "lantern", "voyage", "island", "compass", "anchor", "orchard", "meadow", "thunder",
        ];
        var random = new Random(seed);
        var builder = new StringBuilder(words * 6);
        for (var i = 0; i < words; i++)
        {
            // Squaring a uniform number favours the first, most common words.
            var pick = random.NextDouble();
            builder.Append(vocabulary[(int)(pick * pick * vocabulary.Length)]);
            builder.Append(i % 17 == 16 ? ". " : " ");
        }

        return builder.ToString();
    }
}
