using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Flows.DurableTask.Internal;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging;

namespace Flows.Benchmarks;

/// <summary>
/// D1: the generated Durable Task orchestration of <see cref="DurableFanOutWorkflow"/> against
/// <see cref="HandWrittenFanOutOrchestrator"/>, both on one in-process test host started once, run alternately from
/// the client (schedule, wait for completion, read the result). Target: at most 1.05 times the hand-written time.
/// Also the runner of D1b's replays (<see cref="Replay"/>).
/// </summary>
/// <remarks>
/// <para>A Stopwatch runner rather than BenchmarkDotNet: BenchmarkDotNet runs each benchmark method in a process of its
/// own, so each side would start its own host (a gRPC sidecar and a worker, seconds to start) and the two would never
/// alternate; on this shared VM the time of the same code moves by tens of percent between runs (see RESULTS.md), far
/// more than the 5 % the target allows. Here both sides share the host and alternate run by run (the order rotates), so
/// load drifts reach both alike; the report gives each side's median and quartiles, the ratio of the medians, the median
/// of the ratios of runs made next to each other, and the process's CPU time and allocation per run.</para>
/// <para>The host runs at most <see cref="Environment.ProcessorCount"/> activities at once and, at that limit, looks for
/// the next one only after 500 ms: with 2 cores the foreach's window of 8 would measure that wait. The runner therefore
/// runs itself again with <c>DOTNET_PROCESSOR_COUNT=16</c> when the process sees fewer than 16 processors.</para>
/// </remarks>
public static class D1DurableOverhead
{
    public const string Command = "durable-overhead";

    public const string ReplayCommand = "durable-replay";

    private const int ProcessorCount = 16;
    private const int Seed = 5;

    // Off (no level enabled) except around the traced runs.
    private static readonly EventCounter s_log = new();

    private static readonly int[] s_items = Enumerable.Range(0, DurableFanOutWorkflow.ItemCount).ToArray();

    /// <summary>
    /// <c>durable-overhead [--rounds R] [--runs N] [--warmup W] [--traced T] [--ladder]</c>: W warm-up runs per side, T runs
    /// per side with the orchestrator's episodes counted (not timed), then R rounds of N timed runs per side.
    /// <c>--ladder</c> adds two hand-written variants (<see cref="LadderOrchestrator"/> with <see cref="Ladder.CallAsync"/>,
    /// and with <see cref="Ladder.Runtime"/>) to tell where a difference comes from.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 10);
        var runs = Option(args, "--runs", 100);
        var warmup = Option(args, "--warmup", 500);
        var traced = Option(args, "--traced", 10);
        var ladder = args.Contains("--ladder");

        if (Environment.ProcessorCount < ProcessorCount)
        {
            return RunAgainWithMoreProcessors(args);
        }

        // The sidecar's web host reads its logging levels from the environment; without this it writes four console lines
        // per gRPC call (as in tests/Flows.DurableTask.Tests).
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

        await using var host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                DurableFanOutWorkflow.Durable.Register(registry);
                registry.AddOrchestrator<HandWrittenFanOutOrchestrator>();
                registry.AddOrchestrator("Ladder.CallAsync", () => new LadderOrchestrator(Ladder.CallAsync));
                registry.AddOrchestrator("Ladder.Runtime", () => new LadderOrchestrator(Ladder.Runtime));
                registry.AddActivity<HandWrittenAlpha>();
                registry.AddActivity<HandWrittenBeta>();
                registry.AddActivity<HandWrittenGamma>();
                registry.AddActivity<HandWrittenSquare>();
                registry.AddActivity<HandWrittenTotal>();
            },
            new DurableTaskTestHostOptions { Port = FreeLoopbackPort(), LoggerFactory = s_log });
        var client = host.Client;

        var sides = new List<Side>
        {
            new("Generated", () => DurableFanOutWorkflow.Durable.ScheduleAsync(client, Seed, s_items)),
            new("HandWritten", () => client.ScheduleNewOrchestrationInstanceAsync(nameof(HandWrittenFanOutOrchestrator), new HandWrittenFanOutInput(Seed, s_items))),
        };
        if (ladder)
        {
            sides.Add(new("HW+CallAsync", () => client.ScheduleNewOrchestrationInstanceAsync("Ladder.CallAsync", new HandWrittenFanOutInput(Seed, s_items))));
            sides.Add(new("HW+Runtime", () => client.ScheduleNewOrchestrationInstanceAsync("Ladder.Runtime", new HandWrittenFanOutInput(Seed, s_items))));
        }

        var baseline = sides[1];
        var expected = await new DurableFanOutWorkflow().RunAsync(Seed, s_items);
        Console.WriteLine($"D1 durable overhead: group of 3 + foreach of {DurableFanOutWorkflow.ItemCount} (degree {DurableFanOutWorkflow.Degree}) + final step; in-process result {expected}");
        Console.WriteLine($"ProcessorCount {Environment.ProcessorCount} (DOTNET_PROCESSOR_COUNT; the machine has {MachineProcessors()}), .NET {Environment.Version}, {rounds} rounds x {runs} runs per side, {warmup} warm-up runs per side");

        // Warm-up: JIT of every side, the gRPC channel, the host's dispatchers. Then a few runs each with the episodes counted.
        for (var i = 0; i < warmup; i++)
        {
            foreach (var side in sides)
            {
                await RunOnceAsync(client, side, expected);
            }
        }

        foreach (var side in sides)
        {
            Console.WriteLine($"{side.Name,-12} {await TraceAsync(client, side, expected, traced)}");
        }

        var all = sides.ToDictionary(side => side, _ => new List<Sample>());
        var summaries = new List<string>();
        for (var round = 1; round <= rounds; round++)
        {
            var loadBefore = LoadAverage();
            var started = DateTime.Now;
            var samples = sides.ToDictionary(side => side, _ => new List<Sample>());
            for (var i = 0; i < runs; i++)
            {
                // The order rotates every run, so no side always runs right after the same other.
                for (var k = 0; k < sides.Count; k++)
                {
                    var side = sides[(i + k) % sides.Count];
                    samples[side].Add(await RunOnceAsync(client, side, expected));
                }
            }

            var loadAfter = LoadAverage();
            Console.WriteLine();
            Console.WriteLine($"Round {round} ({started:HH:mm:ss}-{DateTime.Now:HH:mm:ss}), load average before: {loadBefore}; after: {loadAfter}");
            Report(sides, baseline, samples);
            var generated = samples[sides[0]];
            var handWritten = samples[baseline];
            summaries.Add(
                $"| {round} | {started:HH:mm:ss} | {loadBefore} / {loadAfter} " +
                $"| {Median(generated, s => s.WallMs):F2} ({Percentile(generated.Select(s => s.WallMs), 0.25):F2}-{Percentile(generated.Select(s => s.WallMs), 0.75):F2}) " +
                $"| {Median(handWritten, s => s.WallMs):F2} ({Percentile(handWritten.Select(s => s.WallMs), 0.25):F2}-{Percentile(handWritten.Select(s => s.WallMs), 0.75):F2}) " +
                $"| {Median(generated, s => s.WallMs) / Median(handWritten, s => s.WallMs):F3} | {PairRatio(generated, handWritten, s => s.WallMs):F3} " +
                $"| {Median(generated, s => s.CpuMs) / Median(handWritten, s => s.CpuMs):F3} | {Median(generated, s => s.AllocatedKb) / Median(handWritten, s => s.AllocatedKb):F3} |");
            foreach (var side in sides)
            {
                all[side].AddRange(samples[side]);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"All rounds ({rounds * runs} runs per side)");
        Report(sides, baseline, all);
        Console.WriteLine();
        Console.WriteLine("| Round | Start | Load average before / after | Generated wall median (p25-p75), ms | Hand-written wall median (p25-p75), ms | Wall ratio of medians | Median pair ratio | CPU ratio | Alloc ratio |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        summaries.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>
    /// <c>durable-replay [--rounds R] [--runs N] [--warmup W]</c>: D1b's operations (each side's 25 episodes replayed
    /// through <see cref="Microsoft.DurableTask.Worker.Grpc.GrpcOrchestrationRunner"/>, no host), alternated, with the CPU
    /// time of the thread that runs them: on a loaded machine that is steadier than the wall time BenchmarkDotNet gives.
    /// </summary>
    public static int Replay(string[] args)
    {
        var rounds = Option(args, "--rounds", 3);
        var runs = Option(args, "--runs", 100);
        var warmup = Option(args, "--warmup", 100);
        var sides = D1bDurableReplay.Sides();
        foreach (var (name, episodes) in sides)
        {
            Console.WriteLine($"{name,-14} {episodes.Describe()}");
        }

        for (var i = 0; i < warmup; i++)
        {
            sides.ForEach(side => side.Episodes.Run());
        }

        Console.WriteLine($"{rounds} rounds x {runs} operations per side, {warmup} warm-up operations per side; times per operation (25 episodes)");
        for (var round = 1; round <= rounds; round++)
        {
            var loadBefore = LoadAverage();
            var started = DateTime.Now;
            var samples = sides.ToDictionary(side => side.Name, _ => new List<Sample>());
            for (var i = 0; i < runs; i++)
            {
                for (var k = 0; k < sides.Count; k++)
                {
                    var (name, episodes) = sides[(i + k) % sides.Count];
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var cpu = ThreadCpuTime();
                    var start = Stopwatch.GetTimestamp();
                    episodes.Run();
                    var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    samples[name].Add(new Sample(wall, (ThreadCpuTime() - cpu).TotalMilliseconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1024.0));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"Round {round} ({started:HH:mm:ss}-{DateTime.Now:HH:mm:ss}), load average before: {loadBefore}; after: {LoadAverage()}");
            Console.WriteLine($"{"",-14} {"thread cpu median",17} {"p25",8} {"p75",8} | {"wall median",11} | {"alloc KB",9} | {"cpu/HW",7} {"pairs",7} {"wall/HW",7} {"alloc/HW",8}");
            var hw = samples[sides[0].Name];
            foreach (var (name, _) in sides)
            {
                var values = samples[name];
                var cpu = values.Select(s => s.CpuMs).ToArray();
                Console.WriteLine(
                    $"{name,-14} {Percentile(cpu, 0.5),17:F3} {Percentile(cpu, 0.25),8:F3} {Percentile(cpu, 0.75),8:F3} | {Median(values, s => s.WallMs),11:F3} | {Median(values, s => s.AllocatedKb),9:F1} " +
                    $"| {Median(values, s => s.CpuMs) / Median(hw, s => s.CpuMs),7:F3} {PairRatio(values, hw, s => s.CpuMs),7:F3} {Median(values, s => s.WallMs) / Median(hw, s => s.WallMs),7:F3} {Median(values, s => s.AllocatedKb) / Median(hw, s => s.AllocatedKb),8:F3}");
            }
        }

        return 0;
    }

    // CLOCK_THREAD_CPUTIME_ID: the CPU time of the calling thread (Linux).
    private static TimeSpan ThreadCpuTime()
    {
        if (ClockGetTime(3, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>One side: how it schedules a run (the rest, waiting for the result and reading it, is the same for all).</summary>
    private sealed record Side(string Name, Func<Task<string>> ScheduleAsync);

    /// <summary>
    /// One run: wall time from scheduling to the result on the client, the CPU time of the whole process meanwhile (client,
    /// sidecar and worker are all in it) and the bytes it allocated.
    /// </summary>
    private readonly record struct Sample(double WallMs, double CpuMs, double AllocatedKb);

    private static async Task<Sample> RunOnceAsync(DurableTaskClient client, Side side, int expected)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        var instanceId = await side.ScheduleAsync();
        // The generated WaitForResultAsync is DurableRun.WaitForResultAsync: WaitForInstanceCompletionAsync(getInputsAndOutputs:
        // true) and ReadOutputAs; every side waits through it, so the client part is the same code everywhere.
        var result = await DurableRun.WaitForResultAsync<int>(client, instanceId);
        var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var cpuMs = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds;
        var allocatedKb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0;
        if (result != expected)
        {
            throw new InvalidOperationException($"D1: {side.Name} gave {result}, the in-process run {expected}.");
        }

        return new Sample(wall, cpuMs, allocatedKb);
    }

    // Runs of the side with the host's log events counted: the orchestrator's episodes (the worker's
    // ReceivedOrchestratorRequest), the history events they replayed and received, and the activities run. How many
    // episodes a run takes depends on how many activity results arrive while the previous episode runs, so it is given as
    // a mean over the runs.
    private static async Task<string> TraceAsync(DurableTaskClient client, Side side, int expected, int runs)
    {
        var episodes = new List<double>();
        var replayed = new List<double>();
        var fresh = new List<double>();
        var activities = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            s_log.Start();
            await RunOnceAsync(client, side, expected);
            var counts = s_log.Stop();
            episodes.Add(counts.Episodes);
            replayed.Add(counts.Replayed);
            fresh.Add(counts.New);
            activities.Add(counts.Activities);
        }

        return $"{episodes.Average(),5:F1} orchestrator episodes (min {episodes.Min()}, max {episodes.Max()}), " +
            $"{replayed.Average(),5:F0} history events replayed, {fresh.Average():F1} new, {activities.Average():F0} activities per run";
    }

    private static void Report(List<Side> sides, Side baseline, Dictionary<Side, List<Sample>> samples)
    {
        Console.WriteLine($"{"",-12} {"wall median",11} {"p25",8} {"p75",8} {"min",8} {"max",8} {"mean",8} | {"cpu median",10} {"p25",8} {"p75",8} | {"alloc KB",9} | {"wall/HW",7} {"pairs",7} {"cpu/HW",7} {"alloc/HW",8}");
        var hw = samples[baseline];
        foreach (var side in sides)
        {
            var values = samples[side];
            var wall = values.Select(s => s.WallMs).ToArray();
            var cpu = values.Select(s => s.CpuMs).ToArray();
            Console.WriteLine(
                $"{side.Name,-12} {Percentile(wall, 0.5),11:F2} {Percentile(wall, 0.25),8:F2} {Percentile(wall, 0.75),8:F2} {wall.Min(),8:F2} {wall.Max(),8:F2} {wall.Average(),8:F2} " +
                $"| {Percentile(cpu, 0.5),10:F2} {Percentile(cpu, 0.25),8:F2} {Percentile(cpu, 0.75),8:F2} | {Median(values, s => s.AllocatedKb),9:F1} " +
                $"| {Median(values, s => s.WallMs) / Median(hw, s => s.WallMs),7:F3} {PairRatio(values, hw, s => s.WallMs),7:F3} " +
                $"{Median(values, s => s.CpuMs) / Median(hw, s => s.CpuMs),7:F3} {Median(values, s => s.AllocatedKb) / Median(hw, s => s.AllocatedKb),8:F3}");
        }
    }

    private static double Median(IEnumerable<Sample> samples, Func<Sample, double> value) => Percentile(samples.Select(value), 0.5);

    // The median of the ratios of runs made next to each other (run i of one side against run i of the other).
    private static double PairRatio(List<Sample> side, List<Sample> baseline, Func<Sample, double> value) =>
        Percentile(side.Zip(baseline, (s, b) => value(s) / value(b)), 0.5);

    // Linear interpolation between the closest ranks.
    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    // The processors the machine has, whatever DOTNET_PROCESSOR_COUNT makes the process see.
    private static string MachineProcessors()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Count(line => line.StartsWith("processor", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static int RunAgainWithMoreProcessors(string[] args)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to run again.");
        var start = new ProcessStartInfo(processPath) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            // Started as 'dotnet Flows.Benchmarks.dll': run the same assembly again.
            start.ArgumentList.Add(typeof(D1DurableOverhead).Assembly.Location);
        }

        start.ArgumentList.Add(Command);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_PROCESSOR_COUNT"] = ProcessorCount.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"This process sees {Environment.ProcessorCount} processors; running again with DOTNET_PROCESSOR_COUNT={ProcessorCount} (the test host runs at most that many activities at once).");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run the benchmark again.");
        process.WaitForExit();
        return process.ExitCode;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A logger factory whose loggers are off except while <see cref="Start"/>ed; then it counts the worker's orchestrator
    /// episodes, the history events they replay and receive, and the activities run.
    /// </summary>
    private sealed class EventCounter : ILoggerFactory, ILogger
    {
        private volatile bool _on;
        private int _episodes;
        private int _replayed;
        private int _new;
        private int _activities;

        public void Start()
        {
            _episodes = _replayed = _new = _activities = 0;
            _on = true;
        }

        public (int Episodes, int Replayed, int New, int Activities) Stop()
        {
            _on = false;
            return (_episodes, _replayed, _new, _activities);
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => _on;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!_on || eventId.Name is not { } name)
            {
                return;
            }

            if (name == "ActivityStarted")
            {
                Interlocked.Increment(ref _activities);
            }

            if (name == "ReceivedOrchestratorRequest" && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                Interlocked.Increment(ref _episodes);
                foreach (var (key, value) in values)
                {
                    if (key == "oldEventCount" && value is int replayed)
                    {
                        Interlocked.Add(ref _replayed, replayed);
                    }
                    else if (key == "newEventCount" && value is int fresh)
                    {
                        Interlocked.Add(ref _new, fresh);
                    }
                }
            }
        }
    }
}
