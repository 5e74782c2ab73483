using Flows.DurableTask.Internal;
using Flows.Internal;
using Microsoft.DurableTask;

namespace Flows.Benchmarks;

/// <summary>
/// D1: the fan-out whose durable orchestration is measured. A fail-fast group of three steps, a foreach of
/// <see cref="ItemCount"/> items at degree <see cref="Degree"/>, and a final step; every body is one line of arithmetic,
/// so what a run costs is the orchestration: 24 activity calls, their round trips through the backend and the replays.
/// </summary>
[Workflow(Durable = true)]
public partial class DurableFanOutWorkflow
{
    public const int ItemCount = 20;
    public const int Degree = 8;

    [Step, Parallel("fetch")]
    public static int Alpha(int seed) => seed + 1;

    [Step, Parallel("fetch")]
    public static int Beta(int seed) => seed + 2;

    [Step, Parallel("fetch")]
    public static int Gamma(int seed) => seed + 3;

    [ParallelForEach("items", MaxDegreeOfParallelism = Degree)]
    public static int Square(int item) => item * item;

    [Step]
    public static int Total(int alpha, int beta, int gamma, IReadOnlyList<int> square)
    {
        var total = alpha + beta + gamma;
        foreach (var value in square)
        {
            total += value;
        }

        return total;
    }
}

/// <summary>The hand-written orchestration's input.</summary>
public sealed record HandWrittenFanOutInput(int Seed, int[] Items);

/// <summary>The hand-written <c>Total</c> activity's input.</summary>
public sealed record HandWrittenTotalInput(int Alpha, int Beta, int Gamma, int[] Squares);

/// <summary>
/// D1 baseline: <see cref="DurableFanOutWorkflow"/>'s orchestration as a Durable Task user writes it by hand: the three
/// group members started together and awaited with <c>Task.WhenAll</c>, the foreach as a sliding window of
/// <see cref="DurableFanOutWorkflow.Degree"/> calls refilled after each <c>Task.WhenAny</c>, results by position, then
/// the final call. Its activities call the workflow's own step methods.
/// </summary>
public sealed class HandWrittenFanOutOrchestrator : TaskOrchestrator<HandWrittenFanOutInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, HandWrittenFanOutInput input)
    {
        var alpha = context.CallActivityAsync<int>(nameof(HandWrittenAlpha), input.Seed);
        var beta = context.CallActivityAsync<int>(nameof(HandWrittenBeta), input.Seed);
        var gamma = context.CallActivityAsync<int>(nameof(HandWrittenGamma), input.Seed);
        await Task.WhenAll(alpha, beta, gamma);

        var items = input.Items;
        var squares = new int[items.Length];
        var running = new List<Task<int>>(DurableFanOutWorkflow.Degree);
        var positions = new List<int>(DurableFanOutWorkflow.Degree);
        var next = 0;
        while (next < items.Length || running.Count > 0)
        {
            while (next < items.Length && running.Count < DurableFanOutWorkflow.Degree)
            {
                running.Add(context.CallActivityAsync<int>(nameof(HandWrittenSquare), items[next]));
                positions.Add(next++);
            }

            var done = await Task.WhenAny(running);
            var slot = running.IndexOf(done);
            squares[positions[slot]] = await done;
            running.RemoveAt(slot);
            positions.RemoveAt(slot);
        }

        return await context.CallActivityAsync<int>(
            nameof(HandWrittenTotal), new HandWrittenTotalInput(alpha.Result, beta.Result, gamma.Result, squares));
    }
}

public sealed class HandWrittenAlpha : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int seed) => Task.FromResult(DurableFanOutWorkflow.Alpha(seed));
}

public sealed class HandWrittenBeta : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int seed) => Task.FromResult(DurableFanOutWorkflow.Beta(seed));
}

public sealed class HandWrittenGamma : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int seed) => Task.FromResult(DurableFanOutWorkflow.Gamma(seed));
}

public sealed class HandWrittenSquare : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int item) => Task.FromResult(DurableFanOutWorkflow.Square(item));
}

public sealed class HandWrittenTotal : TaskActivity<HandWrittenTotalInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, HandWrittenTotalInput input) =>
        Task.FromResult(DurableFanOutWorkflow.Total(input.Alpha, input.Beta, input.Gamma, input.Squares));
}

/// <summary>What a <see cref="LadderOrchestrator"/> takes from the generated orchestrator; the rest is hand-written.</summary>
[Flags]
public enum Ladder
{
    /// <summary>As <see cref="HandWrittenFanOutOrchestrator"/>.</summary>
    None = 0,

    /// <summary>Each activity call through <see cref="DurableStep.CallAsync{TResult}"/> (an async wrapper that names the step in a failure).</summary>
    CallAsync = 1,

    /// <summary>The orchestrator split in two async methods, the outer one mapping a failure with <see cref="DurableFailure.ForRun"/>.</summary>
    FailureFrame = 2,

    /// <summary>The group awaited with <see cref="DurableGroup.FailFastAsync"/> (a <c>Task.WhenAny</c> loop) instead of <c>Task.WhenAll</c>.</summary>
    FailFastGroup = 4,

    /// <summary>The foreach run by <see cref="DurableForEach.RunAsync{TItem, TResult}"/> instead of the hand-written window.</summary>
    ForEachWindow = 8,

    /// <summary>All four runtime pieces: what the generated orchestrator calls.</summary>
    Runtime = CallAsync | FailureFrame | FailFastGroup | ForEachWindow,

    /// <summary>The generated activity names (<c>Flows.&lt;Namespace&gt;.&lt;Type&gt;.&lt;Step&gt;</c>); replay only, no host has activities of those names for it.</summary>
    GeneratedNames = 16,

    /// <summary>The generated activity inputs, an object per call (<c>{"seed":5}</c>, <c>{"__item":3}</c>); replay only.</summary>
    InputObjects = 32,
}

/// <summary>
/// D1 diagnostics (<c>durable-overhead --ladder</c>, <c>durable-replay</c>): <see cref="HandWrittenFanOutOrchestrator"/> with
/// the pieces of the generated orchestrator that <see cref="Ladder"/> names, to tell what a difference between the two
/// comes from.
/// </summary>
public sealed class LadderOrchestrator(Ladder ladder) : TaskOrchestrator<HandWrittenFanOutInput, int>
{
    private readonly string _alpha = Name(ladder, nameof(HandWrittenAlpha), "Alpha");
    private readonly string _beta = Name(ladder, nameof(HandWrittenBeta), "Beta");
    private readonly string _gamma = Name(ladder, nameof(HandWrittenGamma), "Gamma");
    private readonly string _square = Name(ladder, nameof(HandWrittenSquare), "Square");
    private readonly string _total = Name(ladder, nameof(HandWrittenTotal), "Total");

    public override async Task<int> RunAsync(TaskOrchestrationContext context, HandWrittenFanOutInput input)
    {
        if (!ladder.HasFlag(Ladder.FailureFrame))
        {
            return await RunStepsAsync(context, input);
        }

        try
        {
            return await RunStepsAsync(context, input);
        }
        catch (Exception exception)
        {
            throw DurableFailure.ForRun(exception);
        }
    }

    private static string Name(Ladder ladder, string handWritten, string step) =>
        ladder.HasFlag(Ladder.GeneratedNames) ? DurableFanOutWorkflow.Durable.OrchestrationName + "." + step : handWritten;

    private async Task<int> RunStepsAsync(TaskOrchestrationContext context, HandWrittenFanOutInput input)
    {
        var alphaTask = Call(context, "Alpha", _alpha, Seed(input.Seed));
        var betaTask = Call(context, "Beta", _beta, Seed(input.Seed));
        var gammaTask = Call(context, "Gamma", _gamma, Seed(input.Seed));
        if (ladder.HasFlag(Ladder.FailFastGroup))
        {
            await DurableGroup.FailFastAsync(alphaTask, betaTask, gammaTask);
        }
        else
        {
            await Task.WhenAll(alphaTask, betaTask, gammaTask);
        }

        var alpha = await alphaTask;
        var beta = await betaTask;
        var gamma = await gammaTask;

        int[] squares;
        if (ladder.HasFlag(Ladder.ForEachWindow))
        {
            var options = new ForEachOptions(nameof(DurableFanOutWorkflow), "Square", maxDegreeOfParallelism: DurableFanOutWorkflow.Degree, runOnThreadPool: false);
            squares = (int[])await DurableForEach.RunAsync<int, int>(context, input.Items, options, (item, index) => Call(context, "Square", _square, Item(item)));
        }
        else
        {
            var items = input.Items;
            squares = new int[items.Length];
            var running = new List<Task<int>>(DurableFanOutWorkflow.Degree);
            var positions = new List<int>(DurableFanOutWorkflow.Degree);
            var next = 0;
            while (next < items.Length || running.Count > 0)
            {
                while (next < items.Length && running.Count < DurableFanOutWorkflow.Degree)
                {
                    running.Add(Call(context, "Square", _square, Item(items[next])));
                    positions.Add(next++);
                }

                var done = await Task.WhenAny(running);
                var slot = running.IndexOf(done);
                squares[positions[slot]] = await done;
                running.RemoveAt(slot);
                positions.RemoveAt(slot);
            }
        }

        return await Call(context, "Total", _total, new HandWrittenTotalInput(alpha, beta, gamma, squares));
    }

    private Task<int> Call(TaskOrchestrationContext context, string step, string activity, object input) =>
        ladder.HasFlag(Ladder.CallAsync) ? DurableStep.CallAsync<int>(context, step, activity, input) : context.CallActivityAsync<int>(activity, input);

    private object Seed(int seed) => ladder.HasFlag(Ladder.InputObjects) ? new SeedInput { seed = seed } : seed;

    private object Item(int item) => ladder.HasFlag(Ladder.InputObjects) ? new ItemInput { __item = item } : item;

    // The shapes of the generated activities' inputs.
#pragma warning disable IDE1006 // The generated wire names.
    private sealed class SeedInput
    {
        public int seed { get; set; }
    }

    private sealed class ItemInput
    {
        public int __item { get; set; }
    }
#pragma warning restore IDE1006
}
