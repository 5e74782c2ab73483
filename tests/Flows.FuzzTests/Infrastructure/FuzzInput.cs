using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>How one input is compiled: nullable on or off, C# 12 or the latest version.</summary>
internal readonly record struct FuzzSettings(bool Nullable, LanguageVersion LanguageVersion)
{
    /// <summary>The four combinations the generated code must compile warning-free under; inputs rotate through them.</summary>
    public static readonly FuzzSettings[] All =
    {
        new(Nullable: true, LanguageVersion.Latest),
        new(Nullable: false, LanguageVersion.Latest),
        new(Nullable: true, LanguageVersion.CSharp12),
        new(Nullable: false, LanguageVersion.CSharp12),
    };

    public CSharpParseOptions ParseOptions => new(LanguageVersion);

    public override string ToString() => $"nullable {(Nullable ? "enable" : "disable")}, C# {(LanguageVersion == LanguageVersion.Latest ? "latest" : LanguageVersion.ToDisplayString())}";

    /// <summary>The form written into a replay file's header: <c>enable latest</c>.</summary>
    public string ToHeader() => $"{(Nullable ? "enable" : "disable")} {(LanguageVersion == LanguageVersion.Latest ? "latest" : LanguageVersion.ToDisplayString())}";

    public static FuzzSettings FromHeader(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var version = parts[1] == "latest" ? LanguageVersion.Latest : LanguageVersionFacts.TryParse(parts[1], out var parsed) ? parsed : throw new FormatException(text);
        return new FuzzSettings(parts[0] == "enable", version);
    }
}

/// <summary>A source file of an input.</summary>
internal sealed record FuzzFile(string Path, string Text);

/// <summary>
/// One fuzz input: the user's files, how they are compiled, and an earlier version of them the incremental run starts
/// from. Everything in it follows from <see cref="Seed"/> (and the run's corpus), so a seed replays it.
/// </summary>
/// <param name="Family">Which generator made it: <c>mutation</c>, <c>synthesized</c>, <c>large</c>, <c>regression</c>.</param>
/// <param name="Seed">The input's own seed: <c>FLOWS_FUZZ_REPLAY=seed</c> makes exactly this input again.</param>
/// <param name="Description">What was done to make it (the corpus file and the mutations applied).</param>
/// <param name="ExpectAccepted">Synthesized valid: the user's code must compile, every workflow must be generated and no FLOW error reported.</param>
internal sealed record FuzzInput(
    string Family,
    int Seed,
    string Description,
    ImmutableArray<FuzzFile> Files,
    ImmutableArray<FuzzFile> PreviousFiles,
    FuzzSettings Settings,
    bool ExpectAccepted)
{
    private const string FileMarker = "// ===== file: ";

    /// <summary>The input as one replayable text: a header, then each file after a marker line.</summary>
    public string ToReplayText(string? finding = null)
    {
        var text = new StringBuilder();
        text.Append("// fuzz-input family: ").Append(Family).Append('\n');
        text.Append("// fuzz-input seed: ").Append(Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("// fuzz-input settings: ").Append(Settings.ToHeader()).Append('\n');
        text.Append("// fuzz-input expect-accepted: ").Append(ExpectAccepted ? "true" : "false").Append('\n');
        foreach (var line in Description.Split('\n'))
        {
            text.Append("// fuzz-input description: ").Append(line).Append('\n');
        }

        if (finding is not null)
        {
            foreach (var line in finding.Split('\n').Take(40))
            {
                text.Append("// fuzz-input finding: ").Append(line.TrimEnd('\r')).Append('\n');
            }
        }

        foreach (var file in Files)
        {
            text.Append(FileMarker).Append(file.Path).Append(" =====\n");
            text.Append(file.Text);
            if (!file.Text.EndsWith('\n'))
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Reads what <see cref="ToReplayText"/> wrote (a hand-written regression file uses the same form).</summary>
    public static FuzzInput FromReplayText(string text, string fallbackName)
    {
        text = text.Replace("\r\n", "\n");
        var family = "regression";
        var seed = 0;
        var settings = FuzzSettings.All[0];
        var expectAccepted = false;
        var description = new List<string>();
        var files = new List<FuzzFile>();
        string? path = null;
        var body = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (path is null && line.StartsWith("// fuzz-input ", StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':');
                var key = line.Substring("// fuzz-input ".Length, colon - "// fuzz-input ".Length);
                var value = line.Substring(colon + 1).Trim();
                switch (key)
                {
                    case "family": family = value; break;
                    case "seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "settings": settings = FuzzSettings.FromHeader(value); break;
                    case "expect-accepted": expectAccepted = value == "true"; break;
                    case "description": description.Add(value); break;
                }

                continue;
            }

            if (line.StartsWith(FileMarker, StringComparison.Ordinal))
            {
                if (path is not null)
                {
                    files.Add(new FuzzFile(path, body.ToString()));
                }

                path = line.Substring(FileMarker.Length).Replace(" =====", string.Empty).Trim();
                body.Clear();
                continue;
            }

            if (path is null && line.Length == 0 && body.Length == 0)
            {
                continue;
            }

            path ??= fallbackName + ".cs";
            body.Append(line).Append('\n');
        }

        if (path is not null)
        {
            files.Add(new FuzzFile(path, body.ToString()));
        }

        var all = files.ToImmutableArray();
        return new FuzzInput(family, seed, string.Join("\n", description), all, all, settings, expectAccepted);
    }
}
