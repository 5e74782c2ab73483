using System.Runtime.CompilerServices;

namespace Flows.Generator.Tests.Infrastructure;

/// <summary>
/// Finds this test project's folder in the source tree, where golden files and workflow sources live: never the
/// bin folder, so that updated golden files land where git sees them.
/// </summary>
internal static class SourceTree
{
    private const string ProjectFile = "Flows.Generator.Tests.csproj";

    private static readonly Lazy<string> s_projectDirectory = new(() => Locate(ThisFile()));

    public static string ProjectDirectory => s_projectDirectory.Value;

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static string Locate(string thisFile)
    {
        // The compiler records this file's path; it is right unless the build maps paths (a CI build with
        // ContinuousIntegrationBuild=true writes /_/...), in which case we walk up from the test assembly.
        var fromCaller = Path.GetDirectoryName(Path.GetDirectoryName(thisFile));
        if (fromCaller is not null && File.Exists(Path.Combine(fromCaller, ProjectFile)))
        {
            return fromCaller;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ProjectFile)))
            {
                return directory.FullName;
            }

            var nested = Path.Combine(directory.FullName, "tests", "Flows.Generator.Tests");
            if (File.Exists(Path.Combine(nested, ProjectFile)))
            {
                return nested;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find {ProjectFile}: not next to '{thisFile}' nor above '{AppContext.BaseDirectory}'.");
    }
}
