using System.Text;
using System.Text.RegularExpressions;

namespace Flows.Generator.Tests.Infrastructure;

/// <summary>
/// Golden files in place of Verify: <c>Golden/{test}/{hint}.txt</c> in the source tree, LF line endings, with the
/// generator's version scrubbed.
/// <list type="bullet">
/// <item><c>FLOWS_UPDATE_GOLDEN=1</c> rewrites the test's files and deletes the ones it no longer produces.</item>
/// <item>A mismatch writes <c>{hint}.received.txt</c> next to the golden file (git-ignored) and fails with the first differing line.</item>
/// <item>A missing golden file fails; outside CI it is written, so the next run passes once it has been reviewed.</item>
/// </list>
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "FLOWS_UPDATE_GOLDEN";
    private const string Extension = ".txt";
    private const string ReceivedExtension = ".received.txt";

    // [GeneratedCode("Flows.Generator", "1.2.3.4")] → [GeneratedCode("Flows.Generator", "VERSION")]
    private static readonly Regex s_version = new(
        @"(GeneratedCode(?:Attribute)?\(\s*""Flows\.Generator""\s*,\s*)""[^""]*""",
        RegexOptions.CultureInvariant);

    public static string Root => Path.Combine(SourceTree.ProjectDirectory, "Golden");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true" or "True";

    private static bool InCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>LF line endings, no version number: what golden files hold.</summary>
    public static string Normalize(string text) => s_version.Replace(text.Replace("\r\n", "\n"), "$1\"VERSION\"");

    /// <summary>Compares every generated file with its golden file in <c>Golden/{testName}/</c>.</summary>
    public static void Verify(string testName, IEnumerable<GeneratedFile> files)
    {
        var folder = Path.Combine(Root, testName);
        var expected = files.ToDictionary(file => file.HintName + Extension, file => Normalize(file.Text), StringComparer.Ordinal);
        var existing = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().ToArray()
            : Array.Empty<string>();

        if (Updating)
        {
            Directory.CreateDirectory(folder);
            foreach (var stale in existing.Where(name => !expected.ContainsKey(name)))
            {
                File.Delete(Path.Combine(folder, stale)); // Files no longer generated, and old *.received.txt.
            }

            foreach (var (name, text) in expected)
            {
                Write(Path.Combine(folder, name), text);
            }

            return;
        }

        var failures = new List<string>();
        foreach (var stale in existing.Where(name => !name.EndsWith(ReceivedExtension, StringComparison.Ordinal) && !expected.ContainsKey(name)))
        {
            failures.Add($"{Relative(Path.Combine(folder, stale))}: golden file of an output the generator no longer produces (run with {UpdateVariable}=1 to delete it).");
        }

        foreach (var (name, actual) in expected.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(folder, name);
            var received = Path.ChangeExtension(path, null) + ReceivedExtension;
            if (!File.Exists(path))
            {
                if (InCI)
                {
                    failures.Add($"{Relative(path)}: missing golden file (never created under CI=true; run the tests locally with {UpdateVariable}=1 and commit it).");
                }
                else
                {
                    Directory.CreateDirectory(folder);
                    Write(path, actual);
                    failures.Add($"{Relative(path)}: missing golden file, now created. Review it, then run again.");
                }

                continue;
            }

            var golden = File.ReadAllText(path).Replace("\r\n", "\n");
            if (golden == actual)
            {
                File.Delete(received);
                continue;
            }

            Write(received, actual);
            failures.Add($"{Relative(path)}: differs from the generated text (written to {Path.GetFileName(received)}).\n{FirstDifference(golden, actual)}");
        }

        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", failures) + $"\n\nIf the change is intended, run with {UpdateVariable}=1 and review the diff.");
        }
    }

    /// <summary>The first line that differs, 1-based, with both versions of it.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var left = i < expectedLines.Length ? expectedLines[i] : null;
            var right = i < actualLines.Length ? actualLines[i] : null;
            if (left != right)
            {
                return $"First difference at line {i + 1}:\n  golden:   {Show(left)}\n  received: {Show(right)}";
            }
        }

        return "The texts differ, but no line does.";

        static string Show(string? line) => line is null ? "<end of file>" : "\"" + line + "\"";
    }

    private static void Write(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static string Relative(string path) => Path.GetRelativePath(SourceTree.ProjectDirectory, path);
}
