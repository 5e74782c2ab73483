using System.Runtime.InteropServices;

namespace Flows.Samples.WordCount;

/// <summary>A slice of a text, cut at a word boundary.</summary>
public readonly record struct TextChunk(string Text, int Start, int Length)
{
    public ReadOnlySpan<char> AsSpan() => Text.AsSpan(Start, Length);
}

/// <summary>Plain, single-threaded word counting: the "map" work of the sample, and its sequential baseline.</summary>
public static class WordCounter
{
    /// <summary>Cuts <paramref name="text"/> into about <paramref name="count"/> chunks, never inside a word.</summary>
    public static IReadOnlyList<TextChunk> Split(string text, int count)
    {
        var chunks = new List<TextChunk>(count);
        var size = Math.Max(1, text.Length / count);
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + size);
            while (end < text.Length && char.IsLetter(text[end]))
            {
                end++;
            }

            chunks.Add(new TextChunk(text, start, end - start));
            start = end;
        }

        return chunks;
    }

    /// <summary>Counts the words of one chunk, ignoring case. CPU-bound: no I/O, no awaits.</summary>
    public static Dictionary<string, int> Count(ReadOnlySpan<char> text)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetter(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(lookup, text[start..i], out _)++;
            }
        }

        return counts;
    }

    /// <summary>Adds <paramref name="part"/>'s counts into <paramref name="total"/>.</summary>
    public static void Merge(Dictionary<string, int> total, Dictionary<string, int> part)
    {
        foreach (var (word, count) in part)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(total, word, out _) += count;
        }
    }
}
