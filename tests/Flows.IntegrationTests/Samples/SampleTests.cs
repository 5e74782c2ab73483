using System.Globalization;
using System.IO;
using Flows.Samples;
using Flows.Samples.TravelQuote;

namespace Flows.IntegrationTests.Samples;

/// <summary>
/// Runs every sample of the samples program the way <c>dotnet run -- &lt;name&gt;</c> does, and checks that it
/// completes and prints the result only it produces. Timings are printed by the samples but never asserted.
/// </summary>
public sealed class SampleTests
{
    /// <summary>For each sample, text its output must contain: its result, independent of timing.</summary>
    private static readonly Dictionary<string, string[]> ExpectedOutput = new()
    {
        ["travel-quote"] = ["Total", "EUR 1,458.80", "Wall time of RunAsync"],
        ["multi-model"] = ["delta-chat   skipped: HttpRequestException", "ember-xl     skipped: StepTimeoutException", "Consensus: Positive", "from 4 of 6 models; 2 skipped"],
        ["validation"] = ["Order A-1001 accepted", "Order A-1002 rejected, 3 problems", "TEAPOT-3", "not an e-mail address"],
        ["fallback"] = ["primary: 502 Bad Gateway", "250.00 USD = 230.32 EUR (rate from the mirror)"],
        ["batch"] = ["batch 3: records 21-30", "Measured start rate within a batch", "30 receipts (first P-07919, last P-37570)"],
        ["word-count"] = ["3,000,000 words, 38 distinct", "counts identical to the sequential ones"],
        ["notifications"] = ["delivered on 3 of 4 channels", "Group 'send': 1 of 4 members succeeded, fewer than the minimum of 2."],
        ["dataflow"] = ["Scheduling.Dataflow:", "Recommendation for Marta Sousa: espresso machine, milk frother, grinder"],
        ["pause-resume"] = ["Pause()", "Resume()", "All 12 pages exported (598 KB)"],
    };

    public static TheoryData<string> SampleNames => new(SampleCatalog.All.Select(sample => sample.Name));

    [Fact]
    public void Every_sample_in_the_catalog_has_expected_output_here()
    {
        Assert.Equal(
            ExpectedOutput.Keys.Order(StringComparer.Ordinal),
            SampleCatalog.All.Select(sample => sample.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public async Task The_sample_completes_and_prints_its_result(string name)
    {
        var sample = SampleCatalog.Find(name);
        Assert.NotNull(sample);

        using var cancellation = new CancellationTokenSource(Limits.Hang);
        using var output = new StringWriter();
        await sample.RunAsync(output, cancellation.Token).OrTimeout();

        var text = output.ToString();
        foreach (var expected in ExpectedOutput[name])
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.StartsWith("flowchart", sample.MermaidDiagram, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_argument_the_program_lists_the_samples_and_runs_the_default()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Flows.Samples.dll");
        var directory = Directory.CreateTempSubdirectory("flows-samples-");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(program);

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().OrTimeout();

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await stderr}");
        var text = await stdout;
        foreach (var sample in SampleCatalog.All)
        {
            Assert.Contains($"  {sample.Name} ", text, StringComparison.Ordinal);
        }

        Assert.Contains($"Running '{SampleCatalog.Default.Name}'", text, StringComparison.Ordinal);
        Assert.Contains("EUR 1,458.80", text, StringComparison.Ordinal);
        Assert.Contains("flowchart", text, StringComparison.Ordinal);

        // The default sample writes the timeline of its run under the current directory and says where.
        var timeline = Path.Combine(directory.FullName, TravelQuoteSample.TimelineFileName);
        Assert.Contains(timeline, text, StringComparison.Ordinal);
        AssertTravelQuoteTimeline(File.ReadAllText(timeline));
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task The_travel_quote_sample_writes_a_gantt_chart_of_its_run()
    {
        var sample = SampleCatalog.Find("travel-quote")!;
        var path = Path.GetFullPath(TravelQuoteSample.TimelineFileName);
        File.Delete(path);

        using var output = new StringWriter();
        await sample.RunAsync(output, CancellationToken.None).OrTimeout();

        Assert.Contains(path, output.ToString(), StringComparison.Ordinal);
        AssertTravelQuoteTimeline(File.ReadAllText(path));
    }

    /// <summary>
    /// A Markdown file holding one Mermaid gantt chart: the run's title, a time axis in milliseconds, one section
    /// per stage, and a row for every step of the run with its start and end.
    /// </summary>
    private static void AssertTravelQuoteTimeline(string markdown)
    {
        var lines = markdown.Split('\n');
        Assert.Equal("```mermaid", lines[0]);
        Assert.Equal("gantt", lines[1]);
        Assert.StartsWith("    title TravelQuoteWorkflow", lines[2], StringComparison.Ordinal);
        Assert.Equal("    dateFormat x", lines[3]);
        Assert.Equal(["```", string.Empty], lines[^2..]);

        var sections = lines.Where(line => line.StartsWith("    section ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["    section 1. group suppliers", "    section 2. BuildQuote"], sections);

        // Rows are "    <name>: [<tags>, ]<start>, <end>" in whole milliseconds from the start of the run.
        var rows = lines
            .Where(line => line.StartsWith("    ", StringComparison.Ordinal) && line.Contains(": ", StringComparison.Ordinal)
                && !line.StartsWith("    title", StringComparison.Ordinal))
            .Select(line =>
            {
                var parts = line.Split(": ");
                var fields = parts[1].Split(", ");
                return (Name: parts[0].Trim(), Start: int.Parse(fields[^2], CultureInfo.InvariantCulture), End: int.Parse(fields[^1], CultureInfo.InvariantCulture));
            })
            .ToDictionary(row => row.Name);
        Assert.Equal(
            ["BuildQuote", "SearchCarsAsync", "SearchFlightsAsync", "SearchHotelsAsync"],
            rows.Keys.Order(StringComparer.Ordinal));
        Assert.All(rows.Values, row => Assert.True(row.Start <= row.End, $"{row.Name}: {row.Start} > {row.End}"));

        // The chart shows what ran: the quote is built after the last search ended, and the searches overlapped.
        var searches = rows.Values.Where(row => row.Name.StartsWith("Search", StringComparison.Ordinal)).ToArray();
        Assert.True(rows["BuildQuote"].Start >= searches.Max(row => row.End));
        Assert.True(searches.Max(row => row.Start) < searches.Min(row => row.End), "the searches did not overlap");
    }
}
