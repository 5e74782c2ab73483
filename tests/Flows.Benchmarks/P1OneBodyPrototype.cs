using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Perfolizer.Metrology;
using Flows.Internal;

namespace Flows.Benchmarks;

// P1: a prototype, not a quality bar. Does ONE generic run body over a struct observer
// (__RunAsync<TObserver>, instantiated with NoObserver for plain runs and ActiveObserver for observed runs) cost
// anything compared with the TWO bodies the generator writes today (__RunAsync + __RunObservedAsync)?
//
// Everything below is hand-written (no [Workflow] attribute): "TwoBodies" copies the code the generator emits today
// for F1 (SyncFanOutWorkflow) and F3 (SuspendingFanOutWorkflow), as found in obj/Release/net10.0/generated;
// "OneBody" is the same orchestration as one generic body. The step methods are the F1 and F3 ones.

/// <summary>What the one generic body knows of its observer. Implemented by structs only, so the JIT specializes the body per observer.</summary>
internal interface IObserverLike
{
    /// <summary>Whether the run is observed; a constant per struct, which the JIT folds.</summary>
    bool IsActive { get; }

    /// <summary>The run's observer; only read when <see cref="IsActive"/>.</summary>
    RunObserver Run { get; }

    /// <summary>Starts observing the run; called inside the body (an activity started outside it would leak into the caller's context).</summary>
    void Start(string workflow);

    void Fail(Exception exception);

    void End();
}

/// <summary>The plain run's observer: nothing.</summary>
internal struct NoObserver : IObserverLike
{
    public readonly bool IsActive => false;

    public readonly RunObserver Run => null!;

    public readonly void Start(string workflow)
    {
    }

    public readonly void Fail(Exception exception)
    {
    }

    public readonly void End()
    {
    }
}

/// <summary>An observed run's observer: the timeline it was given, then the <see cref="RunObserver"/> it started.</summary>
internal struct ActiveObserver(ExecutionTimeline? timeline) : IObserverLike
{
    private readonly ExecutionTimeline? _timeline = timeline;
    private RunObserver? _run;

    public readonly bool IsActive => true;

    public readonly RunObserver Run => _run!;

    public void Start(string workflow) => _run = RunObserver.Start(workflow, _timeline);

    public readonly void Fail(Exception exception) => _run!.Fail(exception);

    public readonly void End() => _run!.End();
}

// ---------------------------------------------------------------------------------------------------------------
// F1, two bodies: a copy of what the generator emits today for SyncFanOutWorkflow.
// ---------------------------------------------------------------------------------------------------------------
public sealed class P1SyncTwoBodies
{
    public Task First() => Task.CompletedTask;

    public Task Second() => Task.CompletedTask;

    public Task Third() => Task.CompletedTask;

    public ValueTask RunAsync(CancellationToken cancellationToken = default) => __RunAsync(null, cancellationToken);

    public ValueTask RunAsync(ExecutionTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return __RunObservedAsync(null, timeline, cancellationToken);
    }

    // P1 lines: begin TwoBodies F1
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunAsync(FlowControl? control, CancellationToken cancellationToken)
    {
        if (RunObserver.IsEnabled)
        {
            await __RunObservedAsync(control, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Stage 1: parallel group "fan" (FailFast): First, Second, Third
        await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
        Task __first;
        try
        {
            __first = First();
        }
        catch (Exception __exception)
        {
            __first = Task.FromException(__exception);
        }

        Task __second;
        try
        {
            __second = Second();
        }
        catch (Exception __exception)
        {
            __second = Task.FromException(__exception);
        }

        Task __third;
        try
        {
            __third = Third();
        }
        catch (Exception __exception)
        {
            __third = Task.FromException(__exception);
        }

        if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
        {
            var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
            __block.Add(__first);
            __block.Add(__second);
            __block.Add(__third);
            await __block.WhenAll().ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunObservedAsync(FlowControl? control, ExecutionTimeline? timeline, CancellationToken cancellationToken)
    {
        var __observer = RunObserver.Start("SyncFanOutWorkflow", timeline);
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            var __first = __ObserveFirstAsync(__observer, cancellationToken);
            var __second = __ObserveSecondAsync(__observer, cancellationToken);
            var __third = __ObserveThirdAsync(__observer, cancellationToken);

            if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
            {
                var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                __first = __block.Add(__first);
                __second = __block.Add(__second);
                __third = __block.Add(__third);
                await __block.WhenAll().ConfigureAwait(false);
            }

            __first.GetAwaiter().GetResult();
            __second.GetAwaiter().GetResult();
            __third.GetAwaiter().GetResult();
        }
        catch (Exception __exception)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end TwoBodies F1

    // The per-step wrappers are the same in both versions (the one body calls them on its observed path).
    private async ValueTask __ObserveFirstAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("First", 1, "fan");
        try
        {
            await First().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveSecondAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Second", 1, "fan");
        try
        {
            await Second().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveThirdAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Third", 1, "fan");
        try
        {
            await Third().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// F1, one body: the same orchestration as one generic body over a struct observer.
// ---------------------------------------------------------------------------------------------------------------
public sealed class P1SyncOneBody
{
    public Task First() => Task.CompletedTask;

    public Task Second() => Task.CompletedTask;

    public Task Third() => Task.CompletedTask;

    public ValueTask RunAsync(CancellationToken cancellationToken = default) =>
        RunObserver.IsEnabled
            ? __RunAsync(null, new ActiveObserver(null), cancellationToken)
            : __RunAsync(null, default(NoObserver), cancellationToken);

    public ValueTask RunAsync(ExecutionTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return __RunAsync(null, new ActiveObserver(timeline), cancellationToken);
    }

    // P1 lines: begin OneBody F1
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunAsync<TObserver>(FlowControl? control, TObserver __observer, CancellationToken cancellationToken)
        where TObserver : struct, IObserverLike
    {
        __observer.Start("SyncFanOutWorkflow");
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            ValueTask __first, __second, __third;
            if (__observer.IsActive)
            {
                __first = __ObserveFirstAsync(__observer.Run, cancellationToken);
                __second = __ObserveSecondAsync(__observer.Run, cancellationToken);
                __third = __ObserveThirdAsync(__observer.Run, cancellationToken);
            }
            else
            {
                try
                {
                    __first = new ValueTask(First());
                }
                catch (Exception __exception)
                {
                    __first = new ValueTask(Task.FromException(__exception));
                }

                try
                {
                    __second = new ValueTask(Second());
                }
                catch (Exception __exception)
                {
                    __second = new ValueTask(Task.FromException(__exception));
                }

                try
                {
                    __third = new ValueTask(Third());
                }
                catch (Exception __exception)
                {
                    __third = new ValueTask(Task.FromException(__exception));
                }
            }

            if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
            {
                var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                __first = __block.Add(__first);
                __second = __block.Add(__second);
                __third = __block.Add(__third);
                await __block.WhenAll().ConfigureAwait(false);
            }

            if (__observer.IsActive)
            {
                __first.GetAwaiter().GetResult();
                __second.GetAwaiter().GetResult();
                __third.GetAwaiter().GetResult();
            }
        }
        catch (Exception __exception) when (__observer.IsActive)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end OneBody F1

    // Variant "Lean": the one body without the observed path's GetResult calls after the await (they cannot throw
    // there: the members are void, and WhenAll returned, so every member succeeded). Nothing is read after the await,
    // so the compiler hoists no member into the state machine.
    public ValueTask RunLeanAsync(CancellationToken cancellationToken = default) =>
        RunObserver.IsEnabled
            ? __RunLeanAsync(null, new ActiveObserver(null), cancellationToken)
            : __RunLeanAsync(null, default(NoObserver), cancellationToken);

    public ValueTask RunLeanAsync(ExecutionTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return __RunLeanAsync(null, new ActiveObserver(timeline), cancellationToken);
    }

    // P1 lines: begin OneBodyLean F1
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunLeanAsync<TObserver>(FlowControl? control, TObserver __observer, CancellationToken cancellationToken)
        where TObserver : struct, IObserverLike
    {
        __observer.Start("SyncFanOutWorkflow");
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            ValueTask __first, __second, __third;
            if (__observer.IsActive)
            {
                __first = __ObserveFirstAsync(__observer.Run, cancellationToken);
                __second = __ObserveSecondAsync(__observer.Run, cancellationToken);
                __third = __ObserveThirdAsync(__observer.Run, cancellationToken);
            }
            else
            {
                try
                {
                    __first = new ValueTask(First());
                }
                catch (Exception __exception)
                {
                    __first = new ValueTask(Task.FromException(__exception));
                }

                try
                {
                    __second = new ValueTask(Second());
                }
                catch (Exception __exception)
                {
                    __second = new ValueTask(Task.FromException(__exception));
                }

                try
                {
                    __third = new ValueTask(Third());
                }
                catch (Exception __exception)
                {
                    __third = new ValueTask(Task.FromException(__exception));
                }
            }

            if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
            {
                var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                _ = __block.Add(__first);
                _ = __block.Add(__second);
                _ = __block.Add(__third);
                await __block.WhenAll().ConfigureAwait(false);
            }
        }
        catch (Exception __exception) when (__observer.IsActive)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end OneBodyLean F1

    // Variant "Split" (a diagnostic, plain runs only): one generic body whose branches each keep today's code for the
    // stage (Task members and no GetResult on the plain side, ValueTask members on the observed side).
    public ValueTask RunSplitAsync(CancellationToken cancellationToken = default) =>
        RunObserver.IsEnabled
            ? __RunSplitAsync(null, new ActiveObserver(null), cancellationToken)
            : __RunSplitAsync(null, default(NoObserver), cancellationToken);

    // P1 lines: begin OneBodySplit F1
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunSplitAsync<TObserver>(FlowControl? control, TObserver __observer, CancellationToken cancellationToken)
        where TObserver : struct, IObserverLike
    {
        __observer.Start("SyncFanOutWorkflow");
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            if (__observer.IsActive)
            {
                var __first = __ObserveFirstAsync(__observer.Run, cancellationToken);
                var __second = __ObserveSecondAsync(__observer.Run, cancellationToken);
                var __third = __ObserveThirdAsync(__observer.Run, cancellationToken);

                if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
                {
                    var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                    __first = __block.Add(__first);
                    __second = __block.Add(__second);
                    __third = __block.Add(__third);
                    await __block.WhenAll().ConfigureAwait(false);
                }

                __first.GetAwaiter().GetResult();
                __second.GetAwaiter().GetResult();
                __third.GetAwaiter().GetResult();
            }
            else
            {
                Task __first;
                try
                {
                    __first = First();
                }
                catch (Exception __exception)
                {
                    __first = Task.FromException(__exception);
                }

                Task __second;
                try
                {
                    __second = Second();
                }
                catch (Exception __exception)
                {
                    __second = Task.FromException(__exception);
                }

                Task __third;
                try
                {
                    __third = Third();
                }
                catch (Exception __exception)
                {
                    __third = Task.FromException(__exception);
                }

                if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
                {
                    var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                    __block.Add(__first);
                    __block.Add(__second);
                    __block.Add(__third);
                    await __block.WhenAll().ConfigureAwait(false);
                }
            }
        }
        catch (Exception __exception) when (__observer.IsActive)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end OneBodySplit F1

    private async ValueTask __ObserveFirstAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("First", 1, "fan");
        try
        {
            await First().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveSecondAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Second", 1, "fan");
        try
        {
            await Second().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveThirdAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Third", 1, "fan");
        try
        {
            await Third().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// F3, two bodies: a copy of what the generator emits today for SuspendingFanOutWorkflow (its steps are async
// methods, so the plain body starts them without a try/catch).
// ---------------------------------------------------------------------------------------------------------------
public sealed class P1SuspendingTwoBodies
{
    public async Task First() => await Task.Yield();

    public async Task Second() => await Task.Yield();

    public async Task Third() => await Task.Yield();

    public ValueTask RunAsync(CancellationToken cancellationToken = default) => __RunAsync(null, cancellationToken);

    public ValueTask RunAsync(ExecutionTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return __RunObservedAsync(null, timeline, cancellationToken);
    }

    // P1 lines: begin TwoBodies F3
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunAsync(FlowControl? control, CancellationToken cancellationToken)
    {
        if (RunObserver.IsEnabled)
        {
            await __RunObservedAsync(control, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Stage 1: parallel group "fan" (FailFast): First, Second, Third
        await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
        var __first = First();
        var __second = Second();
        var __third = Third();

        if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
        {
            var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
            __block.Add(__first);
            __block.Add(__second);
            __block.Add(__third);
            await __block.WhenAll().ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunObservedAsync(FlowControl? control, ExecutionTimeline? timeline, CancellationToken cancellationToken)
    {
        var __observer = RunObserver.Start("SuspendingFanOutWorkflow", timeline);
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            var __first = __ObserveFirstAsync(__observer, cancellationToken);
            var __second = __ObserveSecondAsync(__observer, cancellationToken);
            var __third = __ObserveThirdAsync(__observer, cancellationToken);

            if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
            {
                var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                __first = __block.Add(__first);
                __second = __block.Add(__second);
                __third = __block.Add(__third);
                await __block.WhenAll().ConfigureAwait(false);
            }

            __first.GetAwaiter().GetResult();
            __second.GetAwaiter().GetResult();
            __third.GetAwaiter().GetResult();
        }
        catch (Exception __exception)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end TwoBodies F3

    private async ValueTask __ObserveFirstAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("First", 1, "fan");
        try
        {
            await First().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveSecondAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Second", 1, "fan");
        try
        {
            await Second().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveThirdAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Third", 1, "fan");
        try
        {
            await Third().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// F3, one body.
// ---------------------------------------------------------------------------------------------------------------
public sealed class P1SuspendingOneBody
{
    public async Task First() => await Task.Yield();

    public async Task Second() => await Task.Yield();

    public async Task Third() => await Task.Yield();

    public ValueTask RunAsync(CancellationToken cancellationToken = default) =>
        RunObserver.IsEnabled
            ? __RunAsync(null, new ActiveObserver(null), cancellationToken)
            : __RunAsync(null, default(NoObserver), cancellationToken);

    public ValueTask RunAsync(ExecutionTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return __RunAsync(null, new ActiveObserver(timeline), cancellationToken);
    }

    // P1 lines: begin OneBody F3
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunAsync<TObserver>(FlowControl? control, TObserver __observer, CancellationToken cancellationToken)
        where TObserver : struct, IObserverLike
    {
        __observer.Start("SuspendingFanOutWorkflow");
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            var __first = __observer.IsActive ? __ObserveFirstAsync(__observer.Run, cancellationToken) : new ValueTask(First());
            var __second = __observer.IsActive ? __ObserveSecondAsync(__observer.Run, cancellationToken) : new ValueTask(Second());
            var __third = __observer.IsActive ? __ObserveThirdAsync(__observer.Run, cancellationToken) : new ValueTask(Third());

            if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
            {
                var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                __first = __block.Add(__first);
                __second = __block.Add(__second);
                __third = __block.Add(__third);
                await __block.WhenAll().ConfigureAwait(false);
            }

            if (__observer.IsActive)
            {
                __first.GetAwaiter().GetResult();
                __second.GetAwaiter().GetResult();
                __third.GetAwaiter().GetResult();
            }
        }
        catch (Exception __exception) when (__observer.IsActive)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end OneBody F3

    // Variant "Lean": as P1SyncOneBody's.
    public ValueTask RunLeanAsync(CancellationToken cancellationToken = default) =>
        RunObserver.IsEnabled
            ? __RunLeanAsync(null, new ActiveObserver(null), cancellationToken)
            : __RunLeanAsync(null, default(NoObserver), cancellationToken);

    public ValueTask RunLeanAsync(ExecutionTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return __RunLeanAsync(null, new ActiveObserver(timeline), cancellationToken);
    }

    // P1 lines: begin OneBodyLean F3
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunLeanAsync<TObserver>(FlowControl? control, TObserver __observer, CancellationToken cancellationToken)
        where TObserver : struct, IObserverLike
    {
        __observer.Start("SuspendingFanOutWorkflow");
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            var __first = __observer.IsActive ? __ObserveFirstAsync(__observer.Run, cancellationToken) : new ValueTask(First());
            var __second = __observer.IsActive ? __ObserveSecondAsync(__observer.Run, cancellationToken) : new ValueTask(Second());
            var __third = __observer.IsActive ? __ObserveThirdAsync(__observer.Run, cancellationToken) : new ValueTask(Third());

            if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
            {
                var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                _ = __block.Add(__first);
                _ = __block.Add(__second);
                _ = __block.Add(__third);
                await __block.WhenAll().ConfigureAwait(false);
            }
        }
        catch (Exception __exception) when (__observer.IsActive)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end OneBodyLean F3

    // Variant "Split" (a diagnostic, plain runs only): as P1SyncOneBody's.
    public ValueTask RunSplitAsync(CancellationToken cancellationToken = default) =>
        RunObserver.IsEnabled
            ? __RunSplitAsync(null, new ActiveObserver(null), cancellationToken)
            : __RunSplitAsync(null, default(NoObserver), cancellationToken);

    // P1 lines: begin OneBodySplit F3
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask __RunSplitAsync<TObserver>(FlowControl? control, TObserver __observer, CancellationToken cancellationToken)
        where TObserver : struct, IObserverLike
    {
        __observer.Start("SuspendingFanOutWorkflow");
        try
        {
            // Stage 1: parallel group "fan" (FailFast): First, Second, Third
            await FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            if (__observer.IsActive)
            {
                var __first = __ObserveFirstAsync(__observer.Run, cancellationToken);
                var __second = __ObserveSecondAsync(__observer.Run, cancellationToken);
                var __third = __ObserveThirdAsync(__observer.Run, cancellationToken);

                if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
                {
                    var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                    __first = __block.Add(__first);
                    __second = __block.Add(__second);
                    __third = __block.Add(__third);
                    await __block.WhenAll().ConfigureAwait(false);
                }

                __first.GetAwaiter().GetResult();
                __second.GetAwaiter().GetResult();
                __third.GetAwaiter().GetResult();
            }
            else
            {
                var __first = First();
                var __second = Second();
                var __third = Third();

                if (!__first.IsCompletedSuccessfully || !__second.IsCompletedSuccessfully || !__third.IsCompletedSuccessfully)
                {
                    var __block = ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                    __block.Add(__first);
                    __block.Add(__second);
                    __block.Add(__third);
                    await __block.WhenAll().ConfigureAwait(false);
                }
            }
        }
        catch (Exception __exception) when (__observer.IsActive)
        {
            __observer.Fail(__exception);
            throw;
        }
        finally
        {
            __observer.End();
        }
    }
    // P1 lines: end OneBodySplit F3

    private async ValueTask __ObserveFirstAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("First", 1, "fan");
        try
        {
            await First().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveSecondAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Second", 1, "fan");
        try
        {
            await Second().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }

    private async ValueTask __ObserveThirdAsync(RunObserver __observer, CancellationToken __cancellationToken)
    {
        var __step = __observer.StartStep("Third", 1, "fan");
        try
        {
            await Third().ConfigureAwait(false);
        }
        catch (Exception __exception)
        {
            __step.Fail(__exception);
            throw;
        }
        finally
        {
            __step.End();
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Benchmarks. Within each class, one category per workflow, each with the two-bodies copy as its baseline.
// BenchmarkDotNet runs every case in a process of its own, so a listener attached for one class never reaches another.
// ---------------------------------------------------------------------------------------------------------------

/// <summary>The suite's <see cref="BenchmarkConfig"/>, with sizes in bytes so that the Allocated column is exact.</summary>
public sealed class P1Config : ManualConfig
{
    public P1Config()
    {
        Add(new BenchmarkConfig());
        SummaryStyle = SummaryStyle.Default.WithSizeUnit(SizeUnit.B);
    }
}

/// <summary>P1, plain runs (nothing listens): the two-bodies copy against the one generic body with <see cref="NoObserver"/>.</summary>
[Config(typeof(P1Config))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class P1OneBodyPlain
{
    private readonly P1SyncTwoBodies _syncTwo = new();
    private readonly P1SyncOneBody _syncOne = new();
    private readonly P1SuspendingTwoBodies _suspendingTwo = new();
    private readonly P1SuspendingOneBody _suspendingOne = new();

    [Benchmark(Baseline = true), BenchmarkCategory("F1")]
    public ValueTask F1TwoBodies() => _syncTwo.RunAsync();

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBody() => _syncOne.RunAsync();

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBodyLean() => _syncOne.RunLeanAsync();

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBodySplit() => _syncOne.RunSplitAsync();

    [Benchmark(Baseline = true), BenchmarkCategory("F3")]
    public ValueTask F3TwoBodies() => _suspendingTwo.RunAsync();

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBody() => _suspendingOne.RunAsync();

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBodyLean() => _suspendingOne.RunLeanAsync();

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBodySplit() => _suspendingOne.RunSplitAsync();
}

/// <summary>P1, observed runs: an <see cref="ActivityListener"/> on Flows' source records every activity (as in T1).</summary>
[Config(typeof(P1Config))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class P1OneBodyListener
{
    private readonly P1SyncTwoBodies _syncTwo = new();
    private readonly P1SyncOneBody _syncOne = new();
    private readonly P1SuspendingTwoBodies _suspendingTwo = new();
    private readonly P1SuspendingOneBody _suspendingOne = new();
    private ActivityListener? _listener;

    [GlobalSetup]
    public void AttachListener()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FlowsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        if (!RunObserver.IsEnabled)
        {
            throw new InvalidOperationException("The listener did not enable Flows' telemetry.");
        }
    }

    [GlobalCleanup]
    public void DetachListener() => _listener?.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("F1")]
    public ValueTask F1TwoBodies() => _syncTwo.RunAsync();

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBody() => _syncOne.RunAsync();

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBodyLean() => _syncOne.RunLeanAsync();

    [Benchmark(Baseline = true), BenchmarkCategory("F3")]
    public ValueTask F3TwoBodies() => _suspendingTwo.RunAsync();

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBody() => _suspendingOne.RunAsync();

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBodyLean() => _suspendingOne.RunLeanAsync();
}

/// <summary>P1, observed runs: nothing listens, a new <see cref="ExecutionTimeline"/> per run.</summary>
[Config(typeof(P1Config))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class P1OneBodyTimeline
{
    private readonly P1SyncTwoBodies _syncTwo = new();
    private readonly P1SyncOneBody _syncOne = new();
    private readonly P1SuspendingTwoBodies _suspendingTwo = new();
    private readonly P1SuspendingOneBody _suspendingOne = new();

    [Benchmark(Baseline = true), BenchmarkCategory("F1")]
    public ValueTask F1TwoBodies() => _syncTwo.RunAsync(new ExecutionTimeline());

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBody() => _syncOne.RunAsync(new ExecutionTimeline());

    [Benchmark, BenchmarkCategory("F1")]
    public ValueTask F1OneBodyLean() => _syncOne.RunLeanAsync(new ExecutionTimeline());

    [Benchmark(Baseline = true), BenchmarkCategory("F3")]
    public ValueTask F3TwoBodies() => _suspendingTwo.RunAsync(new ExecutionTimeline());

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBody() => _suspendingOne.RunAsync(new ExecutionTimeline());

    [Benchmark, BenchmarkCategory("F3")]
    public ValueTask F3OneBodyLean() => _suspendingOne.RunLeanAsync(new ExecutionTimeline());
}
