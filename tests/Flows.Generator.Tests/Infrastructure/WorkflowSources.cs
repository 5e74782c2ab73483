namespace Flows.Generator.Tests.Infrastructure;

/// <summary>
/// The workflow sources under <c>Workflows/</c>: one representative workflow per file, each with a small usage
/// class that calls the generated <c>RunAsync</c>, so that compiling the output also checks its signature.
/// </summary>
internal static class WorkflowSources
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_all = new(Load);

    public static string Directory => Path.Combine(SourceTree.ProjectDirectory, "Workflows");

    /// <summary>Name (the file name without <c>.cs</c>) → source text with LF line endings, ordered by name.</summary>
    public static IReadOnlyDictionary<string, string> All => s_all.Value;

    public static string Get(string name) =>
        All.TryGetValue(name, out var source) ? source : throw new ArgumentException($"No workflow source '{name}.cs' in {Directory}.", nameof(name));

    /// <summary>For <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> Names() => All.Keys.Select(name => new object[] { name });

    private static IReadOnlyDictionary<string, string> Load()
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.cs"))
        {
            sources.Add(Path.GetFileNameWithoutExtension(file), File.ReadAllText(file).Replace("\r\n", "\n"));
        }

        if (sources.Count == 0)
        {
            throw new InvalidOperationException($"No workflow sources in {Directory}.");
        }

        return sources;
    }
}
