using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>One real workflow program the mutations start from: one or more files.</summary>
internal sealed record CorpusEntry(string Name, ImmutableArray<FuzzFile> Files);

/// <summary>
/// The real workflows of the repository: every source of <c>tests/Flows.Generator.Tests/Workflows</c> and every
/// sample folder of <c>samples/</c>. Code that calls the generated <c>RunAsync</c> is left out: a mutation may change
/// its signature, and the oracle takes any error that mentions a generated member as the generator's.
/// </summary>
internal static class Corpus
{
    private static readonly Lazy<ImmutableArray<CorpusEntry>> s_entries = new(Load);

    /// <summary>Implicit usings of the sample project (<c>ImplicitUsings=enable</c>), as a file of their own.</summary>
    private const string ImplicitUsings =
        "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\nglobal using System.Linq;\n"
        + "global using System.Net.Http;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";

    public static ImmutableArray<CorpusEntry> Entries => s_entries.Value;

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot([CallerFilePath] string thisFile = "")
    {
        for (var directory = Path.GetDirectoryName(thisFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Flows.sln")))
            {
                return directory;
            }
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Flows.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find Flows.sln above " + thisFile);
    }

    private static ImmutableArray<CorpusEntry> Load()
    {
        var entries = new List<CorpusEntry>();
        var workflows = Path.Combine(RepositoryRoot, "tests", "Flows.Generator.Tests", "Workflows");
        foreach (var file in Directory.EnumerateFiles(workflows, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            entries.Add(new CorpusEntry(name, ImmutableArray.Create(new FuzzFile(name + ".cs", WithoutUsage(Read(file))))));
        }

        var samples = Path.Combine(RepositoryRoot, "samples", "Flows.Samples", "Samples");
        if (Directory.Exists(samples))
        {
            foreach (var folder in Directory.EnumerateDirectories(samples).OrderBy(f => f, StringComparer.Ordinal))
            {
                var files = Directory.EnumerateFiles(folder, "*.cs")
                    .Where(file => !file.EndsWith("Sample.cs", StringComparison.Ordinal))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .Select(file => new FuzzFile(Path.GetFileName(file), Read(file)))
                    .ToList();
                if (files.Count == 0 || !files.Any(f => f.Text.Contains("[Workflow", StringComparison.Ordinal)))
                {
                    continue;
                }

                var shared = Path.Combine(samples, "Shared");
                if (Directory.Exists(shared) && folder != shared)
                {
                    files.AddRange(Directory.EnumerateFiles(shared, "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(file => new FuzzFile("Shared." + Path.GetFileName(file), Read(file))));
                }

                files.Add(new FuzzFile("ImplicitUsings.cs", ImplicitUsings));
                entries.Add(new CorpusEntry("Samples." + Path.GetFileName(folder), files.ToImmutableArray()));
            }
        }

        var aot = Path.Combine(RepositoryRoot, "samples", "Flows.AotSample", "Workflows.cs");
        if (File.Exists(aot))
        {
            entries.Add(new CorpusEntry("AotSample", ImmutableArray.Create(new FuzzFile("Workflows.cs", Read(aot)), new FuzzFile("ImplicitUsings.cs", ImplicitUsings))));
        }

        return entries.ToImmutableArray();
    }

    private static string Read(string path) => File.ReadAllText(path).Replace("\r\n", "\n");

    /// <summary>The source without its <c>…Usage</c> classes, which call the generated <c>RunAsync</c>.</summary>
    private static string WithoutUsage(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var usages = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => c.Identifier.ValueText.EndsWith("Usage", StringComparison.Ordinal)).ToArray();
        return usages.Length == 0 ? source : root.RemoveNodes(usages, SyntaxRemoveOptions.KeepNoTrivia)!.ToFullString();
    }
}
