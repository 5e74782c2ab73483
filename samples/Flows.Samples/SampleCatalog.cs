using Flows.Samples.TravelQuote;

namespace Flows.Samples;

/// <summary>A runnable sample: its command-line name, one line about it, and what runs it.</summary>
internal sealed record Sample(string Name, string Description, Func<CancellationToken, Task> RunAsync);

/// <summary>Every sample this program can run. Add a new one here and in its own folder under Samples/.</summary>
internal static class SampleCatalog
{
    public static IReadOnlyList<Sample> All { get; } =
    [
        new("travel-quote", "Fan out to three slow suppliers in one parallel group, then build one quote.", TravelQuoteSample.RunAsync),
    ];

    /// <summary>The sample that runs when no name is given.</summary>
    public static Sample Default => All[0];

    public static Sample? Find(string name) =>
        All.FirstOrDefault(sample => string.Equals(sample.Name, name, StringComparison.OrdinalIgnoreCase));

    public static void PrintList(TextWriter writer)
    {
        writer.WriteLine("Samples:");
        var width = All.Max(sample => sample.Name.Length);
        foreach (var sample in All)
        {
            var marker = ReferenceEquals(sample, Default) ? " (default)" : string.Empty;
            writer.WriteLine($"  {sample.Name.PadRight(width)}  {sample.Description}{marker}");
        }
    }
}
