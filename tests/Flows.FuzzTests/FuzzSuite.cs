using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Flows.FuzzTests;

/// <summary>
/// The property-based fuzz suite (issue "Unseen input"): thousands of inputs — syntax-guided mutations of the
/// repository's real workflows, synthesized valid workflows, and large ones of 40 to 500 steps — each checked against
/// the invariants of <see cref="Oracle"/> under one of the four settings (nullable on/off, C# 12/latest).
/// </summary>
/// <remarks>
/// <para>A fresh seed each run unless <c>FLOWS_FUZZ_SEED</c> is set; <c>FLOWS_FUZZ_INPUTS</c> sets the count (default 3,000);
/// <c>FLOWS_FUZZ_REPLAY=family:seed</c> runs one input. See README.md.</para>
/// <para>Findings of a class listed in <see cref="KnownOpen"/> are counted, not failed; every other finding fails the
/// run, and its input is written (minimized) to <c>artifacts/fuzz/</c> for replay.</para>
/// </remarks>
public sealed class FuzzSuite
{
    private const int DefaultInputs = 3_000;

    private readonly ITestOutputHelper _output;

    public FuzzSuite(ITestOutputHelper output) => _output = output;

    // What a run logged, also written to artifacts/fuzz/last-run.txt: `dotnet test` shows a passing test's output
    // only at higher verbosity, so .ci/run prints this file (the seed and the counts per class) after the tests.
    private readonly StringBuilder _log = new();

    private void Log(string line)
    {
        _output.WriteLine(line);
        Console.WriteLine(line);
        _log.AppendLine(line);
    }

    private void SaveLog()
    {
        var folder = Path.Combine(Corpus.RepositoryRoot, "artifacts", "fuzz");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "last-run.txt"), _log.ToString());
    }

    [Fact]
    public void InvariantsHoldForGeneratedInputs()
    {
        var replay = Environment.GetEnvironmentVariable("FLOWS_FUZZ_REPLAY");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            ReplayOne(replay.Trim());
            return;
        }

        var runSeed = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : (int)(DateTime.UtcNow.Ticks % int.MaxValue);
        var total = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_FUZZ_INPUTS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : DefaultInputs;
        var degree = int.TryParse(Environment.GetEnvironmentVariable("FLOWS_FUZZ_PARALLEL"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : Environment.ProcessorCount;
        Log($"Flows fuzz: seed {runSeed} (FLOWS_FUZZ_SEED={runSeed} repeats this run), {total} inputs, {degree} in parallel, corpus of {Corpus.Entries.Length} workflow programs.");

        Oracle.Warm();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var stats = new RunStatistics();
        var examples = new ConcurrentDictionary<string, ConcurrentBag<(FuzzInput Input, string? ReplayKey, Finding Finding)>>(StringComparer.Ordinal);
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = degree }, index =>
        {
            var seed = InputFactory.InputSeed(runSeed, index);
            var family = InputFactory.FamilyOf(index, total, seed);
            int? largeSteps = family == InputFactory.Large && index == 0 ? 500 : null;
            FuzzInput input;
            try
            {
                input = InputFactory.Make(family, seed, largeSteps);
            }
            catch (Exception exception)
            {
                // A bug of the suite, not of Flows; still a failure, so that it is fixed.
                stats.Add(family, null, new Finding("suite", "suite: input factory threw " + exception.GetType().Name, exception.ToString()), null, TimeSpan.Zero);
                return;
            }

            var watch = Stopwatch.StartNew();
            Observation observation;
            try
            {
                observation = Oracle.Check(input, raceAnalysis: family != InputFactory.Large && seed % 8 == 0, fixes: family != InputFactory.Large);
            }
            catch (Exception exception)
            {
                observation = new Observation();
                observation.Findings.Add(new Finding("suite", "suite: oracle threw " + exception.GetType().Name, exception.ToString()));
            }

            stats.Add(input, observation, watch.Elapsed);
            foreach (var finding in observation.Findings)
            {
                var known = KnownOpen.Match(finding, input);
                stats.Add(family, known, finding, input, TimeSpan.Zero);
                var bag = examples.GetOrAdd(finding.Key, _ => new ConcurrentBag<(FuzzInput, string?, Finding)>());
                if (bag.Count < 3)
                {
                    bag.Add((input, InputFactory.ReplayKey(input, largeSteps), finding));
                }
            }
        });

        var elapsed = stopwatch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Log($"Done in {elapsed.TotalSeconds:F1} s ({total / Math.Max(0.001, elapsed.TotalSeconds):F1} inputs/s), {cpu.TotalSeconds:F1} s of CPU time; machine load average {LoadAverage()}.");
        foreach (var line in stats.Report())
        {
            Log(line);
        }

        Log("Seconds per phase, summed over threads: " + string.Join(", ", Oracle.PhaseSeconds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:F1}")));
        SaveLog();

        // Every combination of settings was used (inputs draw theirs at random).
        if (total >= 100)
        {
            Assert.True(stats.SettingsUsed.Count == FuzzSettings.All.Length, "Not every settings combination was used: " + string.Join(", ", stats.SettingsUsed.Keys));
            Assert.True(stats.MaxSteps >= 500, $"No input of 500 steps (largest {stats.MaxSteps}).");
        }

        var failing = stats.NewFailureKeys();
        if (failing.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"{failing.Count} failure class(es) not known to be open (seed {runSeed}):\n");
        foreach (var key in failing)
        {
            var (input, replayKey, finding) = examples[key].OrderBy(e => e.Input.Files.Sum(f => f.Text.Length)).First();
            var written = WriteFailure(key, input, finding);
            message.Append("\n== ").Append(key).Append(" (").Append(stats.CountOf(key)).Append(" inputs)\n");
            message.Append("   replay: FLOWS_FUZZ_REPLAY=").Append(replayKey).Append("   written to ").Append(written).Append('\n');
            message.Append("   ").Append(input.Description.Replace("\n", "\n   ", StringComparison.Ordinal)).Append('\n');
            message.Append(Indent(finding.Message, 40)).Append('\n');
        }

        Log(message.ToString());
        SaveLog();
        Assert.Fail(message.ToString());
    }

    private void ReplayOne(string key)
    {
        var input = key.EndsWith(".cs", StringComparison.Ordinal) && File.Exists(key)
            ? FuzzInput.FromReplayText(File.ReadAllText(key), Path.GetFileNameWithoutExtension(key))
            : InputFactory.FromReplayKey(key);
        Log($"Replaying {key}: {input.Family} seed {input.Seed}, {input.Settings}\n{input.Description}");
        foreach (var file in input.Files)
        {
            Log($"===== {file.Path} =====\n{file.Text}");
        }

        var observation = Oracle.Check(input, raceAnalysis: true);
        Log("Seconds per phase: " + string.Join(", ", Oracle.PhaseSeconds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:F2}")));
        Log($"{observation.Workflows} workflow(s), {observation.Generated} generated, {observation.RejectedWithFlowError} with a FLOW error, user errors: {observation.UserCodeHasErrors}");
        foreach (var finding in observation.Findings)
        {
            Log($"{finding.Key}{(KnownOpen.Match(finding, input) is { } known ? " [known open: " + known + "]" : string.Empty)}\n{finding.Message}");
        }

        if (Environment.GetEnvironmentVariable("FLOWS_FUZZ_SHOW_GENERATED") is "1" or "true")
        {
            Log(Oracle.Explain(input));
        }

        Assert.True(observation.Findings.All(f => KnownOpen.Match(f, input) is not null), "The input breaks an invariant (see the output).");
    }

    /// <summary>Writes the minimized input to artifacts/fuzz/, where <c>FLOWS_FUZZ_REPLAY=path</c> or Regressions/ replays it.</summary>
    private static string WriteFailure(string key, FuzzInput input, Finding finding)
    {
        FuzzInput minimized;
        try
        {
            minimized = Minimizer.Minimize(input, key);
        }
        catch (Exception)
        {
            minimized = input;
        }

        var folder = Path.Combine(Corpus.RepositoryRoot, "artifacts", "fuzz");
        Directory.CreateDirectory(folder);
        var name = new string(key.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        while (name.Contains("--", StringComparison.Ordinal))
        {
            name = name.Replace("--", "-", StringComparison.Ordinal);
        }

        var path = Path.Combine(folder, $"{name}.{input.Family}-{input.Seed}.cs");
        File.WriteAllText(path, minimized.ToReplayText(finding.Key + "\n" + finding.Message));
        return path;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] + $" on {Environment.ProcessorCount} cores" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Indent(string text, int maxLines) =>
        "   " + string.Join("\n   ", text.Split('\n').Take(maxLines));

    /// <summary>Counts per family, per failure class and per outcome; thread-safe.</summary>
    private sealed class RunStatistics
    {
        private readonly object _gate = new();
        private readonly SortedDictionary<string, int> _families = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, (int Count, int New, string? Known)> _classes = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, double> _seconds = new(StringComparer.Ordinal);
        private int _workflows;
        private int _generated;
        private int _rejected;
        private int _notGeneratedUserErrors;
        private int _inputsWithUserErrors;
        private int _inputsWithFindings;
        private int _fixTargets;
        private int _fixesApplied;
        private int _inputsWithFixes;

        public SortedDictionary<string, int> SettingsUsed { get; } = new(StringComparer.Ordinal);

        public int MaxSteps { get; private set; }

        public void Add(FuzzInput input, Observation observation, TimeSpan elapsed)
        {
            lock (_gate)
            {
                _families[input.Family] = _families.GetValueOrDefault(input.Family) + 1;
                _seconds[input.Family] = _seconds.GetValueOrDefault(input.Family) + elapsed.TotalSeconds;
                SettingsUsed[input.Settings.ToString()] = SettingsUsed.GetValueOrDefault(input.Settings.ToString()) + 1;
                _workflows += observation.Workflows;
                _generated += observation.Generated;
                _rejected += observation.RejectedWithFlowError;
                _notGeneratedUserErrors += observation.NotGeneratedUserErrorsOnly;
                _inputsWithUserErrors += observation.UserCodeHasErrors ? 1 : 0;
                _inputsWithFindings += observation.Findings.Count > 0 ? 1 : 0;
                _fixTargets += observation.FixTargets;
                _fixesApplied += observation.FixesApplied;
                _inputsWithFixes += observation.FixTargets > 0 ? 1 : 0;
                if (input.Family != InputFactory.Mutation && int.TryParse(input.Description.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps))
                {
                    MaxSteps = Math.Max(MaxSteps, steps);
                }
            }
        }

        public void Add(string family, string? known, Finding finding, FuzzInput? input, TimeSpan elapsed)
        {
            lock (_gate)
            {
                var current = _classes.GetValueOrDefault(finding.Key);
                _classes[finding.Key] = (current.Count + 1, current.New + (known is null ? 1 : 0), known ?? current.Known);
            }
        }

        public int CountOf(string key)
        {
            lock (_gate)
            {
                return _classes.GetValueOrDefault(key).Count;
            }
        }

        /// <summary>The failure classes some finding of which matched no known-open entry.</summary>
        public List<string> NewFailureKeys()
        {
            lock (_gate)
            {
                return _classes.Where(pair => pair.Value.New > 0).Select(pair => pair.Key).ToList();
            }
        }

        public IEnumerable<string> Report()
        {
            lock (_gate)
            {
                yield return "Inputs per family: " + string.Join(", ", _families.Select(pair => $"{pair.Key} {pair.Value} ({_seconds.GetValueOrDefault(pair.Key) / Math.Max(1, pair.Value) * 1000:F0} ms each)"));
                yield return "Inputs per setting: " + string.Join(", ", SettingsUsed.Select(pair => $"{pair.Key}: {pair.Value}"));
                yield return $"Workflow classes: {_workflows}; generated {_generated}; with a FLOW error {_rejected}; not generated, no FLOW error, user code has errors of its own {_notGeneratedUserErrors}; largest synthesized workflow {MaxSteps} steps.";
                yield return $"Inputs whose user code has errors of its own: {_inputsWithUserErrors}; inputs with findings: {_inputsWithFindings}.";
                yield return $"Code fixes (I6): {_fixesApplied} actions applied for {_fixTargets} Flows diagnostics in {_inputsWithFixes} inputs.";
                yield return "Failure classes (inputs), [open] = known open on main, counted but not failed:";
                if (_classes.Count == 0)
                {
                    yield return "  none";
                }

                foreach (var (key, (count, fresh, known)) in _classes)
                {
                    yield return $"  {count,6}  {key}{(fresh > 0 ? $"   <-- NEW ({fresh})" : string.Empty)}{(known is null ? string.Empty : "   [open: " + known + "]")}";
                }
            }
        }
    }
}
