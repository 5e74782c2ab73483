namespace Flows.Runtime.Tests;

/// <summary>
/// Timeouts judged by the clock (<see cref="ParallelBlock"/> with a deadline, <see cref="Resilience"/> under load),
/// cancellation while a failure is handled, and the caller's <see cref="ExecutionContext"/> in foreach workers.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class TimeoutAndContextTests
{
    private static readonly AsyncLocal<string?> s_ambient = new();

    public TimeoutAndContextTests() => Limits.EnsureThreadPoolThreads();

    private static long Past => Stopwatch.GetTimestamp() - 1;

    private static long Future => Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);

    [Fact]
    public async Task A_fail_fast_block_whose_members_succeed_after_the_deadline_fails_with_TimeoutException()
    {
        using var source = new CancellationTokenSource();
        var late = new TaskCompletionSource<int>();
        var block = new ParallelBlock(FailurePolicy.FailFast, 2, source, CancellationToken.None, "g", 30, deadline: Past);

        block.Add(Task.FromResult(1));
        block.Add(late.Task);
        late.SetResult(2);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => block.WhenAll().OrTimeout());
        Assert.Contains("'g'", exception.Message);
    }

    [Theory]
    [InlineData(FailurePolicy.FailFast)]
    [InlineData(FailurePolicy.WaitAll)]
    [InlineData(FailurePolicy.FirstSuccess)]
    [InlineData(FailurePolicy.ContinueOnError)]
    public async Task A_block_whose_members_succeed_before_the_deadline_succeeds(FailurePolicy policy)
    {
        using var source = new CancellationTokenSource();
        var pending = new TaskCompletionSource<int>();
        var block = new ParallelBlock(policy, 2, source, CancellationToken.None, "g", 30, deadline: Future);

        block.Add(Task.FromResult(1));
        block.Add(pending.Task);
        pending.SetResult(2);

        await block.WhenAll().OrTimeout();
        Assert.False(block.TimedOut);
    }

    [Fact]
    public async Task A_first_success_block_keeps_a_winner_seen_before_the_deadline_and_refuses_one_seen_after_it()
    {
        using var source = new CancellationTokenSource();
        var inTime = new ParallelBlock(FailurePolicy.FirstSuccess, 1, source, CancellationToken.None, "g", 30, deadline: Future);
        inTime.Add(Task.FromResult(1));
        await inTime.WhenAll().OrTimeout();
        Assert.Equal(0, inTime.Winner);

        using var lateSource = new CancellationTokenSource();
        var late = new ParallelBlock(FailurePolicy.FirstSuccess, 2, lateSource, CancellationToken.None, "g", 30, deadline: Past);
        late.Add(Task.FromException<int>(new ItemFailedException(0)));
        late.Add(Task.FromResult(1));
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => late.WhenAll().OrTimeout());
        Assert.IsType<AggregateException>(exception.InnerException);
    }

    [Fact]
    public async Task A_continue_on_error_member_seen_stopping_after_the_deadline_has_a_failed_outcome_even_with_a_value()
    {
        using var source = new CancellationTokenSource();
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 5);
        var block = new ParallelBlock(FailurePolicy.ContinueOnError, 2, source, CancellationToken.None, "g", 200, deadline: deadline);
        var early = Task.FromResult(1);
        var late = new TaskCompletionSource<int>();

        block.Add(early);
        block.Add(late.Task);
        await Limits.Until(() => Stopwatch.GetTimestamp() > deadline, "the deadline has passed");
        late.SetResult(2);
        await block.WhenAll().OrTimeout();

        Assert.Equal(1, block.OutcomeOf(early).Value);
        var outcome = block.OutcomeOf(late.Task);
        Assert.False(outcome.IsSuccess);
        Assert.IsType<TimeoutException>(outcome.Exception);
    }

    [Fact]
    public async Task A_fail_fast_failure_before_the_deadline_is_rethrown_though_a_sibling_stops_after_it()
    {
        using var source = new CancellationTokenSource();
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 5);
        var block = new ParallelBlock(FailurePolicy.FailFast, 2, source, CancellationToken.None, "g", 200, deadline: deadline);
        var sibling = new TaskCompletionSource<int>();
        var failure = new ItemFailedException(1);

        block.Add(sibling.Task);
        block.Add(Task.FromException<int>(failure));
        Assert.True(source.IsCancellationRequested);
        await Limits.Until(() => Stopwatch.GetTimestamp() > deadline, "the deadline has passed");
        sibling.SetResult(2);

        Assert.Same(failure, await Assert.ThrowsAsync<ItemFailedException>(() => block.WhenAll().OrTimeout()));
    }

    [Theory]
    [InlineData(FailurePolicy.FailFast)]
    [InlineData(FailurePolicy.WaitAll)]
    [InlineData(FailurePolicy.FirstSuccess)]
    [InlineData(FailurePolicy.ContinueOnError)]
    public async Task A_block_whose_run_was_cancelled_while_a_member_failed_ends_with_OperationCanceledException(FailurePolicy policy)
    {
        using var run = new CancellationTokenSource();
        var linked = LinkedCancellation.Create(run.Token);
        var block = new ParallelBlock(policy, 2, linked.Source, run.Token, "g");
        var failing = new TaskCompletionSource<int>();

        block.Add(failing.Task);
        block.Add(Task.FromException<int>(new ItemFailedException(1)));
        run.Cancel();
        failing.SetException(new ItemFailedException(0));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block.WhenAll().OrTimeout());
        linked.Dispose();
    }

    [Fact]
    public void A_linked_cancellation_with_a_limit_reports_the_limit_by_the_clock_before_its_timer_fires()
    {
        var linked = TimedCancellation.Create(CancellationToken.None, 1);
        try
        {
            SpinWait.SpinUntil(() => linked.IsPastDeadline);

            // The timer may or may not have fired: the clock says the time is up either way.
            Assert.True(linked.TimedOut(CancellationToken.None));
            Assert.Throws<OperationCanceledException>(linked.ThrowIfCancellationRequested);
            Assert.True(linked.Token.IsCancellationRequested);
        }
        finally
        {
            linked.Dispose();
        }
    }

    [Fact]
    public void A_linked_cancellation_whose_parent_was_cancelled_did_not_time_out()
    {
        using var parent = new CancellationTokenSource();
        var linked = TimedCancellation.Create(parent.Token, 60_000);
        try
        {
            parent.Cancel();

            Assert.False(linked.TimedOut(parent.Token));
            Assert.Throws<OperationCanceledException>(linked.ThrowIfCancellationRequested);
        }
        finally
        {
            linked.Dispose();
        }
    }

    /// <summary>
    /// The harness's case: items that ignore their token and spin past their limit on every core at once, so that the
    /// timers' callbacks run late. Not one overrunning item may count as a success.
    /// </summary>
    [Fact]
    public async Task Under_CPU_load_no_item_that_overran_its_timeout_counts_as_a_success()
    {
        const int Items = 96;
        var policy = new StepPolicy("W", "Spin", timeoutMilliseconds: 8);
        var options = Engine.Options(8, runOnThreadPool: true, continueOnError: true);

        ValueTask<int> Body(int item, StepContext context, CancellationToken token) =>
            Resilience.RunAsync<int, SpinCall>(new SpinCall(16), policy, token, in context);

        var outcomes = await Engine.RunWithOutcomes<int>(SourceKind.Array, Enumerable.Range(0, Items).ToArray(), Body, options).OrTimeout();

        var successes = outcomes.Count(outcome => outcome.IsSuccess);
        Assert.True(successes == 0, $"{successes} of {Items} items that ran 16 ms against an 8 ms limit succeeded.");
        Assert.All(outcomes, outcome => Assert.Equal("Spin", Assert.IsType<StepTimeoutException>(outcome.Exception).StepName));
    }

    [Fact]
    public async Task A_caller_cancelling_during_the_retry_delay_ends_the_step_with_OperationCanceledException_and_no_further_attempt()
    {
        using var caller = new CancellationTokenSource();
        var policy = new StepPolicy("W", "Flaky", maxAttempts: 3, delayMilliseconds: 30_000);
        var attempts = 0;
        var call = new FuncCall((_, _) =>
        {
            Interlocked.Increment(ref attempts);
            caller.CancelAfter(20);
            throw new ItemFailedException(0);
        });

        var run = Resilience.RunAsync<int, FuncCall>(call, policy, caller.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_failure_handled_after_the_caller_cancelled_is_not_retried_and_ends_as_OperationCanceledException_holding_it()
    {
        using var caller = new CancellationTokenSource();
        var policy = new StepPolicy("W", "Flaky", maxAttempts: 3);
        var attempts = 0;
        var failure = new ItemFailedException(0);
        var call = new FuncCall(async (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Yield();
            caller.Cancel();
            throw failure;
        });

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Resilience.RunAsync<int, FuncCall>(call, policy, caller.Token).OrTimeout());

        Assert.Same(failure, exception.InnerException);
        Assert.Equal(caller.Token, exception.CancellationToken);
        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(SourceKind.Array, false)]
    [InlineData(SourceKind.Lazy, false)]
    [InlineData(SourceKind.Stream, false)]
    [InlineData(SourceKind.Array, true)]
    public async Task Synchronous_foreach_workers_run_in_the_callers_execution_context(SourceKind kind, bool unbounded)
    {
        var value = Guid.NewGuid().ToString("N");
        s_ambient.Value = value;
        var options = Engine.Options(unbounded ? -1 : 4, runOnThreadPool: true);

        var seen = await Engine.Run<string?>(kind, Enumerable.Range(0, 40).ToArray(), (_, _, _) => new ValueTask<string?>(s_ambient.Value), options).OrTimeout();

        Assert.All(seen, item => Assert.Equal(value, item));
    }

    [Fact]
    public async Task Synchronous_workers_with_flow_control_and_a_start_rate_run_in_the_callers_execution_context()
    {
        var value = Guid.NewGuid().ToString("N");
        s_ambient.Value = value;
        var control = new FlowControl();
        var options = Engine.Options(3, runOnThreadPool: true, maxItemsPerSecond: 2_000);

        var seen = await Engine.Run<string?>(SourceKind.List, Enumerable.Range(0, 20).ToArray(), (_, _, _) => new ValueTask<string?>(s_ambient.Value), options, control).OrTimeout();

        Assert.All(seen, item => Assert.Equal(value, item));
    }

    [Fact]
    public async Task A_synchronous_body_still_waiting_for_a_retry_delay_is_waited_for_not_read_early()
    {
        var policy = new StepPolicy("W", "Flaky", maxAttempts: 2, delayMilliseconds: 5);
        var options = Engine.Options(4, runOnThreadPool: true);

        ValueTask<int> Body(int item, StepContext context, CancellationToken token) =>
            Resilience.RunAsync<int, FuncCall>(new FuncCall((attempt, _) => attempt.Attempt == 1 ? throw new ItemFailedException(item) : new ValueTask<int>(item * 2)), policy, token, in context);

        var results = await Engine.Run<int>(SourceKind.Array, Enumerable.Range(0, 32).ToArray(), Body, options).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 32).Select(item => item * 2), results);
    }

    private readonly struct SpinCall(int milliseconds) : IStepCall<int>
    {
        // Ignores its token, as CPU-bound code that never looks at it does.
        public ValueTask<int> InvokeAsync(in StepContext context, CancellationToken cancellationToken)
        {
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.ElapsedMilliseconds < milliseconds)
            {
                Thread.SpinWait(50);
            }

            return new ValueTask<int>(context.Index);
        }
    }

    private readonly struct FuncCall(Func<StepContext, CancellationToken, ValueTask<int>> run) : IStepCall<int>
    {
        public ValueTask<int> InvokeAsync(in StepContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }
}
