using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace Flows.Benchmarks;

/// <summary>
/// D1b (attribution for D1, no host): the worker's side of one whole run of each D1 orchestrator, without the backend,
/// gRPC or the thread pool. <see cref="DurableEpisodes.Play"/> plays each orchestration once through Durable Task's own
/// <see cref="GrpcOrchestrationRunner"/> (the code the worker runs for each work item: decode the request, replay the
/// history, run the orchestrator, encode its actions), delivering one activity result per episode in the order the
/// activities were scheduled, and keeps every episode's encoded request. A benchmark operation runs those 25 episodes
/// again. So what differs between the sides is only what the orchestrator does and what its history holds (activity
/// names, inputs), deterministically. Between the hand-written and the generated orchestrator, the sides add what the
/// generated one does, piece by piece (see <see cref="Sides"/>; BenchmarkDotNet runs four of them).
/// </summary>
/// <remarks>
/// On a loaded machine the time columns here move as much as D1's; <c>dotnet run -c Release -- durable-replay</c> runs the
/// same operations alternately and measures the thread's CPU time instead (<see cref="D1DurableOverhead.ReplayAsync"/>).
/// </remarks>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 15)]
public class D1bDurableReplay
{
    private const int Seed = 5;
    private static readonly int[] s_items = Enumerable.Range(0, DurableFanOutWorkflow.ItemCount).ToArray();

    private Dictionary<string, DurableEpisodes> _sides = null!;

    /// <summary>
    /// The orchestrators: <c>HandWritten</c>; <see cref="LadderOrchestrator"/> with nothing, with each piece of the runtime
    /// alone, with all of it (<c>Runtime</c>), then with the generated names and/or input objects on top; <c>Proposed</c>, the
    /// generated orchestrator without the three costs RESULTS.md suggests removing; <c>Generated</c>.
    /// </summary>
    internal static List<(string Name, DurableEpisodes Episodes)> Sides()
    {
        var expected = new DurableFanOutWorkflow().RunAsync(Seed, s_items).AsTask().GetAwaiter().GetResult();
        var input = JsonSerializer.Serialize(new HandWrittenFanOutInput(Seed, s_items));
        (string, DurableEpisodes) Step(string name, Ladder ladder) =>
            (name, DurableEpisodes.Play(nameof(LadderOrchestrator), input, request => GrpcOrchestrationRunner.LoadAndRun(request, new LadderOrchestrator(ladder)), expected));
        return
        [
            ("HandWritten", DurableEpisodes.Play(
                nameof(HandWrittenFanOutOrchestrator), input, request => GrpcOrchestrationRunner.LoadAndRun(request, new HandWrittenFanOutOrchestrator()), expected)),
            Step("Ladder", Ladder.None),
            Step("+CallAsync", Ladder.CallAsync),
            Step("+FailureFrame", Ladder.FailureFrame),
            Step("+FailFastGroup", Ladder.FailFastGroup),
            Step("+ForEachWindow", Ladder.ForEachWindow),
            Step("Runtime", Ladder.Runtime),
            Step("Runtime+Names", Ladder.Runtime | Ladder.GeneratedNames),
            Step("Runtime+Inputs", Ladder.Runtime | Ladder.InputObjects),
            Step("Runtime+Both", Ladder.Runtime | Ladder.GeneratedNames | Ladder.InputObjects),

            // What the generated orchestrator would cost with plain activity inputs, no per-call wrapper and a group that
            // resumes once (RESULTS.md, "Suggestions"): its names, its failure frame and its foreach window.
            Step("Proposed", Ladder.FailureFrame | Ladder.ForEachWindow | Ladder.GeneratedNames),
            ("Generated", DurableEpisodes.Play(
                DurableFanOutWorkflow.Durable.OrchestrationName, JsonSerializer.Serialize(new { seed = Seed, items = s_items }), GeneratedRunner(), expected)),
        ];
    }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _sides = Sides().ToDictionary(side => side.Name, side => side.Episodes);
        foreach (var (name, episodes) in _sides)
        {
            Console.WriteLine($"// {name}: {episodes.Describe()}");
        }
    }

    [Benchmark(Baseline = true)]
    public int HandWritten() => _sides["HandWritten"].Run();

    [Benchmark]
    public int CallAsync() => _sides["+CallAsync"].Run();

    [Benchmark]
    public int Runtime() => _sides["Runtime"].Run();

    [Benchmark]
    public int RuntimeNamesInputs() => _sides["Runtime+Both"].Run();

    [Benchmark]
    public int Generated() => _sides["Generated"].Run();

    // The generated orchestrator function is private (registered by Durable.Register): it is reached by its generated name,
    // with its input class, and run the way AddOrchestratorFunc runs it.
    private static Func<string, string> GeneratedRunner()
    {
        var durable = typeof(DurableFanOutWorkflow.Durable);
        var orchestrate = durable.GetMethod("__OrchestrateAsync", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("D1b: the generated Durable class has no __OrchestrateAsync; update the benchmark.");
        var inputType = orchestrate.GetParameters()[1].ParameterType;
        var function = orchestrate.CreateDelegate(typeof(Func<,,>).MakeGenericType(typeof(TaskOrchestrationContext), inputType, typeof(Task<int>)));
        var loadAndRun = typeof(GrpcOrchestrationRunner).GetMethods()
            .Single(method => method.Name == nameof(GrpcOrchestrationRunner.LoadAndRun) && method.IsGenericMethodDefinition)
            .MakeGenericMethod(inputType, typeof(int));
        return request => (string)loadAndRun.Invoke(null, [request, function, null])!;
    }
}

/// <summary>One orchestration's episodes, as the worker receives them, and the runner that replays them.</summary>
internal sealed class DurableEpisodes(string name, List<string> requests, Func<string, string> runner, int historyEvents)
{
    public string Describe() =>
        $"{name}: {requests.Count} episodes, {historyEvents} history events replayed, {requests.Sum(request => (long)request.Length):N0} characters of requests (base64)";

    public int Run()
    {
        var length = 0;
        foreach (var request in requests)
        {
            length += runner(request).Length;
        }

        return length;
    }

    /// <summary>
    /// Plays the orchestration to its end: each episode's actions become its history, and the next episode brings the
    /// result of the oldest activity still outstanding. Checks the orchestration's result.
    /// </summary>
    public static DurableEpisodes Play(string orchestration, string input, Func<string, string> runner, int expected)
    {
        const string instanceId = "d1b";
        var clock = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var past = new List<P.HistoryEvent>();
        var fresh = new List<P.HistoryEvent>
        {
            Started(clock),
            new()
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTime(clock),
                ExecutionStarted = new P.ExecutionStartedEvent
                {
                    Name = orchestration,
                    Input = input,
                    OrchestrationInstance = new P.OrchestrationInstance { InstanceId = instanceId, ExecutionId = "1" },
                },
            },
        };
        var outstanding = new Queue<(int Id, string Name, string? Input)>();
        var requests = new List<string>();
        var replayed = 0;
        for (var episode = 0; episode < 1000; episode++)
        {
            var request = new P.OrchestratorRequest { InstanceId = instanceId, ExecutionId = "1" };
            request.PastEvents.AddRange(past);
            request.NewEvents.AddRange(fresh);
            var encoded = request.ToByteString().ToBase64();
            requests.Add(encoded);
            replayed += past.Count;

            var response = P.OrchestratorResponse.Parser.ParseFrom(ByteString.FromBase64(runner(encoded)));
            past.AddRange(fresh);
            fresh = [];
            clock = clock.AddMilliseconds(1);
            foreach (var action in response.Actions)
            {
                switch (action.OrchestratorActionTypeCase)
                {
                    case P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask:
                        past.Add(new P.HistoryEvent
                        {
                            EventId = action.Id,
                            Timestamp = Timestamp.FromDateTime(clock),
                            TaskScheduled = new P.TaskScheduledEvent { Name = action.ScheduleTask.Name, Input = action.ScheduleTask.Input },
                        });
                        outstanding.Enqueue((action.Id, action.ScheduleTask.Name, action.ScheduleTask.Input));
                        break;
                    case P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration:
                        var complete = action.CompleteOrchestration;
                        if (complete.OrchestrationStatus != P.OrchestrationStatus.Completed || complete.Result != expected.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        {
                            throw new InvalidOperationException($"D1b: {orchestration} ended {complete.OrchestrationStatus} with '{complete.Result}' ({complete.FailureDetails?.ErrorMessage}), not {expected}.");
                        }

                        return new DurableEpisodes(orchestration, requests, runner, replayed);
                    default:
                        throw new InvalidOperationException($"D1b: {orchestration} asked for {action.OrchestratorActionTypeCase}.");
                }
            }

            if (outstanding.Count == 0)
            {
                throw new InvalidOperationException($"D1b: {orchestration} waits for nothing.");
            }

            var (id, activity, activityInput) = outstanding.Dequeue();
            fresh.Add(Started(clock));
            fresh.Add(new P.HistoryEvent
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTime(clock),
                TaskCompleted = new P.TaskCompletedEvent { TaskScheduledId = id, Result = Activity(activity, activityInput) },
            });
        }

        throw new InvalidOperationException($"D1b: {orchestration} did not end.");
    }

    private static P.HistoryEvent Started(DateTime clock) =>
        new() { EventId = -1, Timestamp = Timestamp.FromDateTime(clock), OrchestratorStarted = new P.OrchestratorStartedEvent() };

    // What the activity would return, for the generated activities' input objects and the hand-written plain values.
    private static string Activity(string name, string? input)
    {
        // Durable Task passes an activity's input as an array of its parameters: one here.
        using var document = JsonDocument.Parse(input ?? "null");
        var root = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
        int Value(string property) =>
            root.ValueKind == JsonValueKind.Number ? root.GetInt32() : Property(root, property).GetInt32();
        var result = name.Split('.')[^1].Replace("HandWritten", string.Empty, StringComparison.Ordinal) switch
        {
            "Alpha" => DurableFanOutWorkflow.Alpha(Value("seed")),
            "Beta" => DurableFanOutWorkflow.Beta(Value("seed")),
            "Gamma" => DurableFanOutWorkflow.Gamma(Value("seed")),
            "Square" => DurableFanOutWorkflow.Square(Value("__item")),
            "Total" => DurableFanOutWorkflow.Total(
                Property(root, "alpha").GetInt32(),
                Property(root, "beta").GetInt32(),
                Property(root, "gamma").GetInt32(),
                (root.TryGetProperty("square", out var square) ? square : Property(root, "Squares")).EnumerateArray().Select(item => item.GetInt32()).ToArray()),
            var other => throw new InvalidOperationException($"D1b: no activity '{other}'."),
        };
        return result.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(property => string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
