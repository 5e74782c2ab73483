namespace Flows.DurableTask.Tests.Support;

/// <summary>How one activity call behaves: how long it takes and on which attempts it fails, and with what.</summary>
/// <param name="DelayMs">How long the activity takes.</param>
/// <param name="FailWith">The kind of exception it throws (see <see cref="Scenarios.Failure"/>), or null to succeed.</param>
/// <param name="FailAttempts">With <paramref name="FailWith"/>: attempts 1 to this one fail, later ones succeed.</param>
/// <param name="SlowAttempts">Attempts 1 to this one take <paramref name="SlowDelayMs"/> instead.</param>
/// <param name="SlowDelayMs">How long a slow attempt takes.</param>
public sealed record ItemSpec(int DelayMs = 0, string? FailWith = null, int FailAttempts = int.MaxValue, int SlowAttempts = 0, int SlowDelayMs = 0);

/// <summary>The input of the Work activity.</summary>
public sealed record WorkInput(ItemSpec Spec, int Item, int Attempt);

/// <summary>A step's retry and timeout options, as a generated orchestrator will hold them.</summary>
public sealed record PolicySpec(int MaxAttempts = 1, int DelayMs = 0, Backoff Backoff = Backoff.Constant, bool Jitter = false, string[]? RetryOn = null, int TimeoutMs = 0)
{
    public DurableStepPolicy ToPolicy(string step) =>
        new(step, MaxAttempts, DelayMs, Backoff, Jitter, RetryOn?.Select(Scenarios.ExceptionType).ToArray(), TimeoutMs);
}

public sealed record ForEachScenario(
    ItemSpec[] Items, int Degree, bool ContinueOnError = false, double MinSuccessRate = 0, int BatchSize = 0,
    int DelayBetweenBatchesMs = 0, double MaxItemsPerSecond = 0, PolicySpec? Policy = null);

/// <summary>What a foreach orchestration gave: its results (or outcomes, described) and when, in orchestration time, each item started.</summary>
public sealed record ForEachReport(int[]? Results, string[]? Outcomes, DateTime[] StartTimes);

public sealed record GroupScenario(FailurePolicy Policy, ItemSpec[] Members, int MinSuccessCount = 0, bool CatchFailure = false);

/// <summary>What a group orchestration gave: member outcomes (continue-on-error), the value (first-success) or the failures it caught.</summary>
public sealed record GroupReport(string[]? Outcomes, int? Value, string[]? Failures);

public sealed record StepScenario(ItemSpec Spec, PolicySpec Policy, bool CatchFailure = false);

/// <summary>One attempt of a step, as the orchestration saw it when it scheduled the attempt.</summary>
public sealed record AttemptRecord(int Attempt, DateTime At, double DelayBeforeMs, bool Replaying);

public sealed record StepReport(int? Result, string? FailureType, string? FailureStep, string? FailureMessage, AttemptRecord[] Attempts, DateTime EndedAt);

/// <summary>A failure type of the tests' own, derived from a framework one, to match by base type.</summary>
public sealed class InventoryException(string message) : InvalidOperationException(message);

/// <summary>
/// The activity and the orchestrators the tests run. The orchestrators stand in for generated code: they call the runtime
/// helpers the way the generator will, hold no step logic, and end with <see cref="DurableFailure.ForRun"/>.
/// </summary>
public static class Scenarios
{
    public const string Work = nameof(Work);
    public const string ForEach = nameof(ForEach);
    public const string Group = nameof(Group);
    public const string Step = nameof(Step);

    /// <summary>The item the group orchestration's next stage runs, after the group succeeded.</summary>
    public const int AfterGroupItem = 100;

    public static void Register(DurableTaskRegistry tasks)
    {
        tasks.AddActivityFunc<WorkInput, int>(Work, RunWorkAsync);
        tasks.AddOrchestratorFunc<ForEachScenario, ForEachReport>(ForEach, RunForEachAsync);
        tasks.AddOrchestratorFunc<GroupScenario, GroupReport>(Group, RunGroupAsync);
        tasks.AddOrchestratorFunc<StepScenario, StepReport>(Step, RunStepAsync);
    }

    public static Type ExceptionType(string kind) => kind switch
    {
        "InvalidOperation" => typeof(InvalidOperationException),
        "Inventory" => typeof(InventoryException),
        "Timeout" => typeof(TimeoutException),
        "Canceled" => typeof(OperationCanceledException),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static Exception Failure(string kind, string message) => kind switch
    {
        "InvalidOperation" => new InvalidOperationException(message),
        "Inventory" => new InventoryException(message),
        "Timeout" => new TimeoutException(message),
        "Canceled" => new OperationCanceledException(message),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string FailureMessage(string kind, int item, int attempt) => $"{kind} at item {item}, attempt {attempt}";

    public static string Describe(Exception failure) => failure switch
    {
        DurableStepException step => $"{nameof(DurableStepException)}|{step.StepName}|{step.ErrorType}|{step.ErrorMessage}",
        StepTimeoutException timeout => $"{nameof(StepTimeoutException)}|{timeout.StepName}",
        _ => $"{failure.GetType().Name}|{failure.Message}",
    };

    public static string Describe(Outcome<int> outcome) => outcome.IsSuccess ? $"ok|{outcome.Value}" : $"failed|{Describe(outcome.Exception)}";

    /// <summary>The step names of group members: A, B, C, …</summary>
    public static string MemberName(int index) => ((char)('A' + index)).ToString();

    // A step's body: counted by the instance's probe while it runs.
    private static async Task<int> RunWorkAsync(TaskActivityContext context, WorkInput input)
    {
        var probe = Probe.For(context.InstanceId);
        probe.Enter(context.Name, input.Item, input.Attempt);
        try
        {
            var spec = input.Spec;
            var delay = input.Attempt <= spec.SlowAttempts ? spec.SlowDelayMs : spec.DelayMs;
            if (delay > 0)
            {
                await Task.Delay(delay);
            }

            if (spec.FailWith is { } kind && input.Attempt <= spec.FailAttempts)
            {
                throw Failure(kind, FailureMessage(kind, input.Item, input.Attempt));
            }

            return input.Item * 10;
        }
        finally
        {
            probe.Exit(input.Item);
        }
    }

    private static async Task<ForEachReport> RunForEachAsync(TaskOrchestrationContext context, ForEachScenario scenario)
    {
        try
        {
            var options = new ForEachOptions(
                "Tests", Work, scenario.Degree, runOnThreadPool: false, scenario.ContinueOnError, scenario.MinSuccessRate,
                scenario.BatchSize, scenario.DelayBetweenBatchesMs, scenario.MaxItemsPerSecond);
            var policy = (scenario.Policy ?? new PolicySpec()).ToPolicy(Work);
            var starts = new List<DateTime>();

            Task<int> StartItem(ItemSpec spec, int index)
            {
                starts.Add(context.CurrentUtcDateTime);
                return DurableResilience.RunAsync(
                    context, policy, attempt => context.CallActivityAsync<int>(Work, new WorkInput(spec, index, attempt)), index);
            }

            if (scenario.ContinueOnError)
            {
                var outcomes = await DurableForEach.RunWithOutcomesAsync<ItemSpec, int>(context, scenario.Items, options, StartItem);
                return new ForEachReport(null, outcomes.Select(Describe).ToArray(), starts.ToArray());
            }

            var results = await DurableForEach.RunAsync<ItemSpec, int>(context, scenario.Items, options, StartItem);
            return new ForEachReport(results.ToArray(), null, starts.ToArray());
        }
        catch (Exception exception)
        {
            throw DurableFailure.ForRun(exception);
        }
    }

    private static async Task<GroupReport> RunGroupAsync(TaskOrchestrationContext context, GroupScenario scenario)
    {
        try
        {
            // The members start together, each with its own step name, as a generated group stage starts them.
            var members = new Task<int>[scenario.Members.Length];
            for (var i = 0; i < members.Length; i++)
            {
                var (spec, item) = (scenario.Members[i], i);
                members[i] = DurableResilience.RunAsync(
                    context, new DurableStepPolicy(MemberName(i)), attempt => context.CallActivityAsync<int>(Work, new WorkInput(spec, item, attempt)));
            }

            var report = new GroupReport(null, null, null);
            switch (scenario.Policy)
            {
                case FailurePolicy.FailFast:
                    await DurableGroup.FailFastAsync(members);
                    break;
                case FailurePolicy.WaitAll:
                    await DurableGroup.WaitAllAsync(members);
                    break;
                case FailurePolicy.ContinueOnError:
                    await DurableGroup.ContinueOnErrorAsync("checks", scenario.MinSuccessCount, members);
                    report = report with { Outcomes = members.Select(m => Describe(DurableGroup.OutcomeOf(m))).ToArray() };
                    break;
                case FailurePolicy.FirstSuccess:
                    report = report with { Value = await DurableGroup.FirstSuccessAsync("checks", members) };
                    break;
            }

            // The next stage: scheduled only once the group has succeeded.
            await context.CallActivityAsync<int>(Work, new WorkInput(new ItemSpec(), AfterGroupItem, 1));
            return report;
        }
        catch (AggregateException exception) when (scenario.CatchFailure)
        {
            return new GroupReport(null, null, exception.InnerExceptions.Select(Describe).Prepend(exception.Message).ToArray());
        }
        catch (Exception exception)
        {
            throw DurableFailure.ForRun(exception);
        }
    }

    private static async Task<StepReport> RunStepAsync(TaskOrchestrationContext context, StepScenario scenario)
    {
        var policy = scenario.Policy.ToPolicy(Step);
        var attempts = new List<AttemptRecord>();
        try
        {
            var result = await DurableResilience.RunAsync(context, policy, attempt =>
            {
                // The delay that preceded this attempt, computed again here: JitterLedger compares it with the value this
                // instance computed live, before any replay.
                var delay = attempt == 1 ? 0 : policy.DelayAfter(attempt - 1, context.InstanceId).TotalMilliseconds;
                JitterLedger.Record(context.InstanceId, attempt, delay, context.IsReplaying);
                attempts.Add(new AttemptRecord(attempt, context.CurrentUtcDateTime, delay, context.IsReplaying));
                return context.CallActivityAsync<int>(Work, new WorkInput(scenario.Spec, 0, attempt));
            });
            return new StepReport(result, null, null, null, attempts.ToArray(), context.CurrentUtcDateTime);
        }
        catch (Exception exception) when (scenario.CatchFailure)
        {
            var step = exception switch
            {
                DurableStepException s => s.StepName,
                StepTimeoutException t => t.StepName,
                _ => null,
            };
            return new StepReport(null, exception.GetType().FullName, step, exception.Message, attempts.ToArray(), context.CurrentUtcDateTime);
        }
        catch (Exception exception)
        {
            throw DurableFailure.ForRun(exception);
        }
    }
}

/// <summary>
/// Every retry delay an orchestration instance computed, keyed by instance and attempt: the first value, computed live,
/// and how many replays computed it again and got another value.
/// </summary>
public static class JitterLedger
{
    private static readonly ConcurrentDictionary<(string Instance, int Attempt), double> s_live = new();
    private static readonly ConcurrentDictionary<string, (int Replays, int Mismatches)> s_replays = new();

    public static void Record(string instanceId, int attempt, double delayMs, bool replaying)
    {
        if (!replaying)
        {
            s_live.TryAdd((instanceId, attempt), delayMs);
            return;
        }

        var same = s_live.TryGetValue((instanceId, attempt), out var live) && live == delayMs;
        s_replays.AddOrUpdate(
            instanceId,
            _ => (1, same ? 0 : 1),
            (_, counts) => (counts.Replays + 1, counts.Mismatches + (same ? 0 : 1)));
    }

    public static (int Replays, int Mismatches) ReplaysOf(string instanceId) => s_replays.GetValueOrDefault(instanceId);
}
