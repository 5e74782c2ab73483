using Xunit;
using Xunit.Abstractions;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// FLOW002, FLOW003, FLOW004 over the corpus: every case reports exactly its marked diagnostics (ID, location,
/// additional location, message arguments), and the corpus as a whole gives the precision/recall table.
/// </summary>
public class RaceCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<CorpusCase> Cases()
    {
        var data = new TheoryData<CorpusCase>();
        foreach (var corpusCase in RaceCorpus.All)
        {
            data.Add(corpusCase);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Case_reports_exactly_its_marked_diagnostics(CorpusCase corpusCase) =>
        AnalyzerVerifier.VerifyAsync(corpusCase.Source, corpusCase.Arguments);

    [Fact]
    public void Corpus_has_at_least_thirty_racy_and_thirty_safe_cases()
    {
        Assert.Equal(RaceCorpus.All.Count, RaceCorpus.All.Select(c => c.Name).Distinct().Count());
        Assert.True(RaceCorpus.All.Count(c => c.Truth == Truth.Racy) >= 30);
        Assert.True(RaceCorpus.All.Count(c => c.Truth == Truth.Safe) >= 30);
    }

    /// <summary>
    /// Scores the analyzer against the corpus's ground truth: a case counts as flagged when the analyzer reports any
    /// FLOW002–FLOW004 on it. The table in docs/race-analysis.md is this test's output.
    /// </summary>
    [Fact]
    public async Task Precision_and_recall_over_the_corpus()
    {
        var all = await ScoreAsync(RaceCorpus.All, "the whole corpus");

        // A false alarm or a miss is allowed only where a case records it as a known gap (or, for a miss, is named M…).
        Assert.Equal(RaceCorpus.All.Count(c => c.Truth == Truth.Safe && c.Gap is not null), all.FalsePositive);
        Assert.Equal(RaceCorpus.All.Count(c => c.Truth == Truth.Racy && (c.Gap is not null || c.Name.StartsWith('M'))), all.FalseNegative);
    }

    /// <summary>
    /// The same score over the cases modeled on public reports alone: how the analysis does on code written without
    /// it in mind. Its output is the second table of docs/race-analysis.md.
    /// </summary>
    [Fact]
    public async Task Precision_and_recall_over_the_cases_from_public_reports()
    {
        Assert.All(RaceCorpus.FromReports, c => Assert.StartsWith("http", c.Report, StringComparison.Ordinal));
        var score = await ScoreAsync(RaceCorpus.FromReports, "the cases from public reports");
        foreach (var gap in RaceCorpus.FromReports.Where(c => c.Gap is not null))
        {
            output.WriteLine($"known gap: {gap.Name}: {gap.Gap}");
        }

        Assert.Equal(RaceCorpus.FromReports.Count(c => c.Truth == Truth.Safe && c.Gap is not null), score.FalsePositive);
        Assert.Equal(RaceCorpus.FromReports.Count(c => c.Truth == Truth.Racy && c.Gap is not null), score.FalseNegative);
    }

    private async Task<(int TruePositive, int FalsePositive, int FalseNegative, int TrueNegative)> ScoreAsync(IEnumerable<CorpusCase> cases, string title)
    {
        var rows = new List<(string Rule, int TruePositive, int FalsePositive, int FalseNegative, int TrueNegative)>();
        var all = (TruePositive: 0, FalsePositive: 0, FalseNegative: 0, TrueNegative: 0);
        foreach (var group in cases.GroupBy(RuleOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var row = (Rule: group.Key, TruePositive: 0, FalsePositive: 0, FalseNegative: 0, TrueNegative: 0);
            foreach (var corpusCase in group)
            {
                var flagged = (await AnalyzerVerifier.AnalyzeAsync(WithoutMarkup(corpusCase.Source))).Any(d => d.Id is "FLOW002" or "FLOW003" or "FLOW004");
                switch (corpusCase.Truth, flagged)
                {
                    case (Truth.Racy, true): row.TruePositive++; break;
                    case (Truth.Racy, false): row.FalseNegative++; break;
                    case (Truth.Safe, true): row.FalsePositive++; break;
                    default: row.TrueNegative++; break;
                }
            }

            rows.Add(row);
            all = (all.TruePositive + row.TruePositive, all.FalsePositive + row.FalsePositive, all.FalseNegative + row.FalseNegative, all.TrueNegative + row.TrueNegative);
        }

        rows.Add(("all", all.TruePositive, all.FalsePositive, all.FalseNegative, all.TrueNegative));
        output.WriteLine($"Over {title}:");
        output.WriteLine("| Cases | Racy | Safe | TP | FP | FN | TN | Precision | Recall |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            output.WriteLine(
                $"| {row.Rule} | {row.TruePositive + row.FalseNegative} | {row.FalsePositive + row.TrueNegative} | {row.TruePositive} | {row.FalsePositive} | {row.FalseNegative} | {row.TrueNegative} "
                + $"| {Ratio(row.TruePositive, row.TruePositive + row.FalsePositive)} | {Ratio(row.TruePositive, row.TruePositive + row.FalseNegative)} |");
        }

        return all;
    }

    private static string RuleOf(CorpusCase corpusCase) =>
        corpusCase.Markup.Contains("FLOW004", StringComparison.Ordinal) || corpusCase.Markup.Contains(".Result", StringComparison.Ordinal) || corpusCase.Markup.Contains("Thread.Sleep", StringComparison.Ordinal)
            ? "FLOW004 (blocking)"
            : corpusCase.Truth == Truth.Safe ? "safe patterns (FLOW002/003)"
            : corpusCase.Markup.Contains("FLOW003", StringComparison.Ordinal) ? "FLOW003 (unsafe objects)"
            : corpusCase.Markup.Contains("FLOW002", StringComparison.Ordinal) ? "FLOW002 (shared state)"
            : "FLOW003 (unsafe objects)";

    private static string WithoutMarkup(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup, @"\{\|(?:FLOW\d{3}(?:,#\d+)*|#\d+):|\|\}", string.Empty);

    private static string Ratio(int numerator, int denominator) =>
        denominator == 0 ? "–" : (numerator / (double)denominator).ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
}
