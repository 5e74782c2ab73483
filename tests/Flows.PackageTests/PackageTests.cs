using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Flows.PackageTests;

/// <summary>
/// Packs Flows into a local folder feed and uses it the way a new user does: fresh projects that reference only
/// the package, restored from that feed alone, built and run.
/// </summary>
public sealed class PackageTests : IClassFixture<PackageTests.Feed>
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly Feed _feed;
    private readonly ITestOutputHelper _output;

    public PackageTests(Feed feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    private const string Workflow = """
        using Flows;

        [Workflow]
        public partial class Report
        {
            [Step]
            public int[] Numbers(int count) => Enumerable.Range(1, count).ToArray();

            [Step, Parallel("totals")]
            public async Task<int> Sum(int[] numbers, CancellationToken ct) { await Task.Delay(10, ct); return numbers.Sum(); }

            [Step, Parallel("totals")]
            public int Max(int[] numbers) => numbers.Max();

            [ParallelForEach(nameof(Numbers), MaxDegreeOfParallelism = 2)]
            public int Square(int number) => number * number;

            [Step]
            public string Summary(int sum, int max, IReadOnlyList<int> square) => $"sum={sum} max={max} squares={square.Sum()}";
        }
        """;

    [Fact]
    public void The_package_holds_the_library_and_every_roslyn_component()
    {
        var entries = _feed.Entries;
        Assert.Contains("lib/net8.0/Flows.Abstractions.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Flows.Generator.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Flows.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Flows.CodeFixes.dll", entries);
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void A_fresh_console_project_that_references_only_the_package_builds_and_runs_a_workflow()
    {
        var project = _feed.CreateProject("Fresh", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """, Workflow + """

            public static class Program
            {
                public static async Task Main() => Console.WriteLine(await new Report().RunAsync(count: 4));
            }
            """);

        var (exit, output) = _feed.Dotnet(project, "run", "-c", Configuration);
        _output.WriteLine(output);
        Assert.True(exit == 0, output);
        Assert.Contains("sum=10 max=4 squares=30", output);
    }

    [Fact]
    public void A_project_on_CSharp_12_with_warnings_as_errors_and_nullable_disabled_builds_clean()
    {
        var project = _feed.CreateProject("Strict", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>disable</Nullable>
                <LangVersion>12</LangVersion>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <NoWarn>$(NoWarn);CS1591</NoWarn>
              </PropertyGroup>
            </Project>
            """, Workflow);

        var (exit, output) = _feed.Dotnet(project, "build", "-c", Configuration);
        _output.WriteLine(output);
        Assert.True(exit == 0, output);
        Assert.Contains(" 0 Warning(s)", output);
    }

    [Fact]
    public void The_analyzers_in_the_package_report_errors_in_a_fresh_project()
    {
        var project = _feed.CreateProject("Broken", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """, """
            using Flows;

            [Workflow]
            public class NotPartial
            {
                [Step] public int One() => 1;
            }
            """);

        var (exit, output) = _feed.Dotnet(project, "build", "-c", Configuration);
        _output.WriteLine(output);
        Assert.NotEqual(0, exit);
        Assert.Contains("Program.cs(4,14): error FLOW005", output);
    }

    /// <summary>Packs once per test run into a folder of its own, with a version no cache has seen.</summary>
    public sealed class Feed : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "flows-package-" + Guid.NewGuid().ToString("N"));

        public Feed()
        {
            Directory.CreateDirectory(_root);
            FeedDirectory = Path.Combine(_root, "feed");
            Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var abstractions = Path.Combine(RepositoryRoot(), "src", "Flows.Abstractions", "Flows.Abstractions.csproj");
            var (exit, output) = Run(RepositoryRoot(), "pack", abstractions, "--no-build", "-c", Configuration, "-o", FeedDirectory, $"-p:PackageVersion={Version}");
            if (exit != 0)
            {
                throw new InvalidOperationException("dotnet pack failed:\n" + output);
            }

            var package = Path.Combine(FeedDirectory, $"Flows.{Version}.nupkg");
            using var archive = System.IO.Compression.ZipFile.OpenRead(package);
            Entries = archive.Entries.Select(entry => entry.FullName).ToArray();
        }

        public string FeedDirectory { get; }

        public string Version { get; }

        public string[] Entries { get; }

        public string CreateProject(string name, string projectXml, string program)
        {
            var directory = Path.Combine(_root, name);
            Directory.CreateDirectory(directory);

            // Outside the repository, so none of its build settings apply; packages only from the feed.
            File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="flows" value="{FeedDirectory}" />
                  </packageSources>
                </configuration>
                """);
            var reference = $"""
                  <ItemGroup>
                    <PackageReference Include="Flows" Version="{Version}" />
                  </ItemGroup>
                </Project>
                """;
            File.WriteAllText(Path.Combine(directory, name + ".csproj"), projectXml.Replace("</Project>", reference));
            File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
            return directory;
        }

        public (int Exit, string Output) Dotnet(string directory, params string[] arguments) =>
            Run(directory, arguments.Concat(new[] { $"-p:RestorePackagesPath={Path.Combine(_root, "packages")}" }).ToArray());

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the folder is in the temp directory.
            }
        }

        private static (int Exit, string Output) Run(string directory, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, output + "\n(timed out)");
            }

            process.WaitForExit();
            return (process.ExitCode, output.ToString());
        }

        private static string RepositoryRoot([CallerFilePath] string path = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
    }
}
