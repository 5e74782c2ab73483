namespace Flows.Samples.WordCount;

/// <summary>The words of a text with how often each occurs.</summary>
public sealed record WordCounts(int TotalWords, IReadOnlyDictionary<string, int> ByWord)
{
    public IEnumerable<KeyValuePair<string, int>> Top(int count) =>
        ByWord.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Take(count);
}

/// <summary>
/// Map-reduce word count. <see cref="Chunk"/> cuts the text, <see cref="CountChunk"/> counts each chunk on
/// the thread pool (a synchronous foreach body, so the chunks really run in parallel, by default one per
/// processor), and <see cref="Reduce"/> merges the partial counts.
/// </summary>
/// <remarks>Generated: <c>RunAsync(string text, int chunkCount, CancellationToken)</c>.</remarks>
[Workflow(Durable = true)]
public sealed partial class WordCountWorkflow
{
    [Step]
    public static IReadOnlyList<TextChunk> Chunk(string text, int chunkCount) => WordCounter.Split(text, chunkCount);

    // MaxDegreeOfParallelism is left at its default, Environment.ProcessorCount. Each item builds its own
    // dictionary, so nothing is shared between items.
    [ParallelForEach(nameof(Chunk))]
    public Dictionary<string, int> CountChunk(TextChunk chunk) => WordCounter.Count(chunk.AsSpan());

    [Step]
    public static WordCounts Reduce(IReadOnlyList<Dictionary<string, int>> countChunk)
    {
        var total = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in countChunk)
        {
            WordCounter.Merge(total, part);
        }

        return new WordCounts(total.Values.Sum(), total);
    }
}
