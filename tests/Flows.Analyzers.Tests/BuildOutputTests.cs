using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>
/// The analyzers as a user meets them: a console project that references Flows the way the package does (the
/// abstractions as an assembly, the generator and analyzers as analyzers), built with <c>dotnet build</c>. The
/// errors must come out in the compiler's format, at the line and column of the mistake.
/// </summary>
public class BuildOutputTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    // Three mistakes, one build: a parameter named after an output but of another type, a workflow that is not
    // partial, and a step that consumes a sibling of its group.
    private const string Program =
        """
        using Flows;

        System.Console.WriteLine("Flows build output test");
        System.Console.WriteLine(await new Checkout().RunAsync(orderId: 42));

        public sealed record Order(int Id);

        [Workflow]
        public partial class Checkout
        {
            [Step] public Order LoadOrder(int orderId) => new(orderId);

            [Step] public decimal Total(int loadOrder) => loadOrder * 1.2m;
        }

        [Workflow]
        public class Refund
        {
            [Step] public int FindPayment(int orderId) => orderId;
        }

        [Workflow]
        public partial class Shipping
        {
            [Step, Parallel("prepare")] public int Pack(int orderId) => orderId;

            [Step, Parallel("prepare")] public string Label(int pack) => $"parcel {pack}";
        }

        """;

    [Fact]
    public async Task Dotnet_build_reports_the_errors_at_their_line_and_column()
    {
        var repositoryRoot = RepositoryRoot();
        var directory = Path.Combine(Path.GetTempPath(), "flows-build-output-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            WriteProject(directory, repositoryRoot);
            var (exitCode, output) = await BuildAsync(directory);

            Assert.NotEqual(0, exitCode);
            AssertReported(output, "FLOW007", PositionOf("int loadOrder", "loadOrder"));
            AssertReported(output, "FLOW005", PositionOf("public class Refund", "Refund"));
            AssertReported(output, "FLOW001", PositionOf("Label(int pack)", "pack"));

            // The call of the RunAsync that was not generated fails too; the FLOW error's line says why.
            AssertReported(output, "CS1061", PositionOf("new Checkout().RunAsync", "RunAsync"));
            var flowLine = output.Split('\n').First(line => line.Contains("error FLOW007", StringComparison.Ordinal));
            Assert.Contains("RunAsync is not generated while this error stands", flowLine, StringComparison.Ordinal);

            // The log's first error is the generator's FLOW017 for a skipped workflow, before the call site's CS1061:
            // it names the error RunAsync waits for, where it is, and what it says.
            var errors = output.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).ToArray();
            Assert.Contains("error FLOW017", errors[0], StringComparison.Ordinal);
            var cs1061 = Array.FindIndex(errors, line => line.Contains("error CS1061", StringComparison.Ordinal));
            var checkout = Array.FindIndex(errors, line => line.Contains("error FLOW017", StringComparison.Ordinal) && line.Contains("'Checkout'", StringComparison.Ordinal));
            Assert.True(checkout >= 0 && checkout < cs1061, "FLOW017 for Checkout does not come before CS1061:\n" + string.Join("\n", errors));
            var (line, column) = PositionOf("int loadOrder", "loadOrder");
            Assert.Contains(
                $"RunAsync is not generated for 'Checkout' because of FLOW007 at Program.cs({line},{column}): Parameter 'loadOrder' of step 'Total' cannot be bound",
                errors[checkout],
                StringComparison.Ordinal);
            AssertReported(output, "FLOW017", PositionOf("public partial class Checkout", "Checkout"));
            AssertReported(output, "FLOW017", PositionOf("public class Refund", "Refund"));
            AssertReported(output, "FLOW017", PositionOf("public partial class Shipping", "Shipping"));

            // The generator and the analyzers loaded and ran without throwing.
            Assert.DoesNotContain("CS9057", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS8785", output, StringComparison.Ordinal);
            Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static void AssertReported(string output, string id, (int Line, int Column) position)
    {
        var expected = $"Program.cs({position.Line},{position.Column}): error {id}";
        Assert.True(output.Contains(expected, StringComparison.Ordinal), $"Expected '{expected}' in the build output:\n{output}");
    }

    /// <summary>The 1-based line and column of <paramref name="name"/> inside the first <paramref name="context"/> of the program.</summary>
    private static (int Line, int Column) PositionOf(string context, string name)
    {
        var text = Program.Replace("\r\n", "\n", StringComparison.Ordinal);
        var contextIndex = text.IndexOf(context, StringComparison.Ordinal);
        Assert.True(contextIndex >= 0, $"'{context}' is not in the program.");
        var index = text.IndexOf(name, contextIndex, StringComparison.Ordinal);
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        var line = text.Take(index).Count(c => c == '\n') + 1;
        return (line, index - lineStart + 1);
    }

    private static void WriteProject(string directory, string repositoryRoot)
    {
        string ProjectPath(string name) => Path.Combine(repositoryRoot, "src", name, name + ".csproj");

        // Outside the repository, and with empty files of its own, the project inherits none of the repository's
        // build settings or central package versions: it is built like a user's project.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.WriteAllText(
            Path.Combine(directory, "BuildOutput.csproj"),
            $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{ProjectPath("Flows.Abstractions")}" />
                <ProjectReference Include="{ProjectPath("Flows.Generator")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <ProjectReference Include="{ProjectPath("Flows.Analyzers")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
    }

    private static async Task<(int ExitCode, string Output)> BuildAsync(string directory)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The test run has built the Flows projects in this configuration: use those assemblies rather than
        // rebuilding the repository's projects from inside a test. No build server outlives the test.
        foreach (var argument in new[]
        {
            "build", "BuildOutput.csproj", "-c", Configuration, "-nologo", "-tl:off", "-v:minimal", "-nodeReuse:false",
            "-p:BuildProjectReferences=false", "-p:UseSharedCompilation=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild and VSTest variables belong to the outer build, not to this one.
        foreach (var key in start.Environment.Keys.ToArray())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet build did not finish within {s_timeout}:\n{Snapshot(output)}");
        }

        // WaitForExit without a timeout waits for the redirected streams to be read to the end.
        process.WaitForExit();
        return (process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
