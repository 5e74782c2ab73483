namespace Flows.FuzzTests;

/// <summary>
/// Inputs the fuzz suite found, minimized and fixed: every file of <c>Regressions/</c> (the form <see cref="FuzzInput.ToReplayText"/>
/// writes) holds every invariant under all four settings, with no finding at all — known-open or not.
/// </summary>
public sealed class RegressionTests
{
    public static IEnumerable<object[]> Files() =>
        Directory.EnumerateFiles(Path.Combine(Corpus.RepositoryRoot, "tests", "Flows.FuzzTests", "Regressions"), "*.cs")
            .Select(Path.GetFileName)
            .OrderBy(name => name, StringComparer.Ordinal)
            .SelectMany(name => FuzzSettings.All.Select((_, setting) => new object[] { name!, setting }));

    [Theory]
    [MemberData(nameof(Files))]
    public void HoldsEveryInvariant(string file, int setting)
    {
        var path = Path.Combine(Corpus.RepositoryRoot, "tests", "Flows.FuzzTests", "Regressions", file);
        var input = FuzzInput.FromReplayText(File.ReadAllText(path), Path.GetFileNameWithoutExtension(file)) with { Settings = FuzzSettings.All[setting] };
        var observation = Oracle.Check(input, raceAnalysis: true);
        Assert.True(
            observation.Findings.Count == 0,
            $"{file} under {input.Settings}:\n" + string.Join("\n", observation.Findings.Select(f => f.Key + "\n" + f.Message)));
        Assert.True(observation.Workflows > 0, $"{file} declares no [Workflow] class.");
    }
}
