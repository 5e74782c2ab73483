using System.IO;
using Flows.Samples;

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
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
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
    }
}
