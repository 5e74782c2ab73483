using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>Every diagnostic ships with its help page, its release row and a working help link.</summary>
public class DescriptorTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in DiagnosticDescriptors.ById.Keys.OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_has_a_docs_page_with_a_flagged_and_a_fixed_example(string id)
    {
        var page = Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"Missing {page}");
        var text = File.ReadAllText(page);
        Assert.Contains(id, text);
        Assert.True(text.Split("```").Length >= 5, $"{id}.md needs at least a flagged and a fixed code example.");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_has_a_release_row_with_its_category_and_severity(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];
        var releases = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Flows.Analyzers", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Flows.Analyzers", "AnalyzerReleases.Shipped.md"));
        var row = releases.Split('\n').FirstOrDefault(line => line.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.NotNull(row);
        var cells = row!.Split('|').Select(cell => cell.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_help_link_points_at_its_docs_page(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];
        Assert.EndsWith($"/docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.StartsWith("Flows.", descriptor.Category, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyzers_support_every_descriptor_once()
    {
        var supported = new WorkflowAnalyzer().SupportedDiagnostics
            .Concat(new global::Flows.Analyzers.Concurrency.StepConcurrencyAnalyzer().SupportedDiagnostics)
            .Select(d => d.Id)
            .ToList();
        // FLOW017 is the generator's (it reports a workflow it skipped); the analyzers report every other one.
        Assert.DoesNotContain("FLOW017", supported);
        Assert.Equal(DiagnosticDescriptors.ById.Keys.Where(id => id != "FLOW017").OrderBy(id => id, StringComparer.Ordinal), supported.OrderBy(id => id, StringComparer.Ordinal));
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
