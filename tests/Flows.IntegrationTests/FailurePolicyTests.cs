namespace Flows.IntegrationTests;

public sealed class FailurePolicyTests
{
    public FailurePolicyTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task FailFast_rethrows_the_first_failure_with_its_own_type_after_cancelling_and_awaiting_the_siblings()
    {
        var log = new EventLog();
        var workflow = new FailFastGroup(log);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => workflow.RunAsync().OrTimeout());
        var eventsWhenThrown = log.Events;

        Assert.Same(workflow.Thrown, exception);
        Assert.Equal("boom", exception.Message);

        // The sibling saw its token cancelled, and the run waited for it to stop before throwing.
        Assert.Contains("cancelled Waiting", eventsWhenThrown);
        Assert.Contains("end Waiting", eventsWhenThrown);
        Assert.DoesNotContain("start After", eventsWhenThrown);

        // Nothing starts later either.
        await Task.Delay(Limits.Quiet);
        Assert.DoesNotContain("start After", log.Events);
    }

    [Fact]
    public async Task FailFast_keeps_the_original_stack_trace()
    {
        var workflow = new FailFastGroup(new EventLog());

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => workflow.RunAsync().OrTimeout());

        Assert.Contains(nameof(FailFastGroup.Failing), exception.StackTrace);
    }

    [Fact]
    public async Task FailFast_member_that_throws_before_returning_a_task_fails_the_group_with_its_own_exception()
    {
        var log = new EventLog();
        var workflow = new ThrowsBeforeReturningTask(log);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => workflow.RunAsync().OrTimeout());

        Assert.Equal("synchronous", exception.Message);
        var events = log.Events;
        Assert.DoesNotContain("start After", events);

        // A sibling that started was cancelled and was awaited before the run failed.
        if (events.Contains("start Waiting"))
        {
            Assert.Contains("end Waiting", events);
        }
    }

    [Fact]
    public async Task FailFast_synchronous_member_failing_on_the_thread_pool_keeps_its_type()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<FormatException>(() => new SynchronousFailure(log).RunAsync().OrTimeout());

        Assert.Equal("bad format", exception.Message);
        Assert.Contains("cancelled Waiting", log.Events);
        Assert.DoesNotContain("start After", log.Events);
    }

    [Fact]
    public async Task FailFast_with_two_failures_throws_the_one_that_happened_first_after_both_stopped()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => new TwoFailuresFailFast(log).RunAsync().OrTimeout());

        Assert.Equal("early", exception.Message);
        Assert.Contains("end Late", log.Events);
    }

    [Fact]
    public async Task FailFast_value_task_member_that_throws_before_returning_keeps_its_type()
    {
        var log = new EventLog();

        await Assert.ThrowsAsync<NotImplementedException>(() => new ValueTaskThrowsBeforeReturning(log).RunAsync().OrTimeout());

        Assert.DoesNotContain("start After", log.Events);
        if (log.Started("Waiting"))
        {
            Assert.Contains("end Waiting", log.Events);
        }
    }

    [Fact]
    public async Task FailFast_async_member_that_fails_before_its_first_await_keeps_its_type_and_cancels_the_sibling()
    {
        var log = new EventLog();

        await Assert.ThrowsAsync<ArithmeticException>(() => new AsyncFailsImmediately(log).RunAsync().OrTimeout());

        Assert.Contains("end Waiting", log.Events);
        Assert.DoesNotContain("start After", log.Events);
    }

    [Fact]
    public async Task WaitAll_runs_every_member_to_its_end_then_throws_every_failure_together()
    {
        var log = new EventLog();
        var workflow = new WaitAllGroup(log);

        var exception = await Assert.ThrowsAsync<AggregateException>(() => workflow.RunAsync().OrTimeout());
        var eventsWhenThrown = log.Events;

        Assert.Equal(2, exception.InnerExceptions.Count);
        Assert.Contains(exception.InnerExceptions, inner => inner is InvalidOperationException { Message: "first" });
        Assert.Contains(exception.InnerExceptions, inner => inner is ArgumentException { Message: "second" });

        // The member that succeeded was not cancelled and ran to its end before the run failed.
        Assert.Contains("end Succeeding", eventsWhenThrown);
        Assert.DoesNotContain("cancelled Succeeding", eventsWhenThrown);
        Assert.DoesNotContain("start After", eventsWhenThrown);
    }

    [Fact]
    public async Task WaitAll_with_a_single_failure_still_throws_an_AggregateException()
    {
        var exception = await Assert.ThrowsAsync<AggregateException>(() => new WaitAllSingleFailure().RunAsync().OrTimeout());

        var inner = Assert.Single(exception.InnerExceptions);
        Assert.IsType<TimeoutException>(inner);
    }

    [Fact]
    public async Task WaitAll_with_synchronous_members_collects_their_failures()
    {
        var exception = await Assert.ThrowsAsync<AggregateException>(() => new WaitAllSynchronous().RunAsync().OrTimeout());

        Assert.Equal(2, exception.InnerExceptions.Count);
        Assert.Contains(exception.InnerExceptions, inner => inner is NotSupportedException);
        Assert.Contains(exception.InnerExceptions, inner => inner is KeyNotFoundException);
    }

    [Fact]
    public async Task WaitAll_where_every_member_succeeds_gives_their_values()
    {
        var (a, b) = await new WaitAllSuccess().RunAsync().OrTimeout();

        Assert.Equal((1, 2), (a, b));
    }

    [Fact]
    public async Task A_failing_single_step_fails_the_run_with_its_own_exception_and_later_steps_do_not_run()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<DivideByZeroException>(() => new FailingSingleStep(log).RunAsync().OrTimeout());

        Assert.NotNull(exception);
        Assert.Equal(new[] { "start Before", "start Failing" }, log.Events);
    }

    [Fact]
    public async Task A_failing_synchronous_single_step_fails_the_run_with_its_own_exception()
    {
        var log = new EventLog();

        await Assert.ThrowsAsync<InvalidCastException>(() => new FailingSynchronousStep(log).RunAsync().OrTimeout());

        Assert.Equal(new[] { "start Failing" }, log.Events);
    }
}

[Workflow]
public partial class FailFastGroup(EventLog log)
{
    public Exception? Thrown { get; private set; }

    [Parallel("g")]
    public async Task Failing()
    {
        await Task.Delay(20);
        Thrown = new InvalidOperationException("boom");
        throw Thrown;
    }

    [Parallel("g")]
    public async Task Waiting(CancellationToken ct)
    {
        log.Start(nameof(Waiting));
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Waiting));

            // Takes a while to stop: the run must wait for it.
            await Task.Delay(100, CancellationToken.None);
            log.End(nameof(Waiting));
            throw;
        }
    }

    [Step]
    public void After() => log.Start(nameof(After));
}

[Workflow]
public partial class ThrowsBeforeReturningTask(EventLog log)
{
    [Parallel("g")]
    public async Task Waiting(CancellationToken ct)
    {
        log.Start(nameof(Waiting));
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            log.End(nameof(Waiting));
        }
    }

    [Parallel("g")]
    public Task Throwing() => throw new ArgumentException("synchronous");

    [Step]
    public void After() => log.Start(nameof(After));
}

#pragma warning disable FLOW004 // The synchronous member blocks on purpose.

[Workflow]
public partial class SynchronousFailure(EventLog log)
{
    [Parallel("g")]
    public void Failing()
    {
        Thread.Sleep(20);
        throw new FormatException("bad format");
    }

    [Parallel("g")]
    public async Task Waiting(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Waiting));
            throw;
        }
    }

    [Step]
    public void After() => log.Start(nameof(After));
}

#pragma warning restore FLOW004

[Workflow]
public partial class TwoFailuresFailFast(EventLog log)
{
    // Declared first, fails last: "first" means first in time, not in declaration order.
    [Parallel("g")]
    public async Task Late()
    {
        // Fails much later, and not because of the cancellation (it ignores the token).
        await Task.Delay(150);
        log.End(nameof(Late));
        throw new InvalidOperationException("late");
    }

    [Parallel("g")]
    public async Task Early()
    {
        await Task.Delay(10);
        throw new InvalidOperationException("early");
    }
}

[Workflow]
public partial class ValueTaskThrowsBeforeReturning(EventLog log)
{
    [Parallel("g")]
    public async Task Waiting(CancellationToken ct)
    {
        log.Start(nameof(Waiting));
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            log.End(nameof(Waiting));
        }
    }

    [Parallel("g")]
    public ValueTask<int> Throwing() => throw new NotImplementedException();

    [Step]
    public void After() => log.Start(nameof(After));
}

[Workflow]
public partial class AsyncFailsImmediately(EventLog log)
{
    [Parallel("g")]
    public async Task Waiting(CancellationToken ct)
    {
        log.Start(nameof(Waiting));
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            log.End(nameof(Waiting));
        }
    }

#pragma warning disable CS1998 // Fails before any await on purpose.
    [Parallel("g")]
    public async Task<int> Failing() => throw new ArithmeticException();
#pragma warning restore CS1998

    [Step]
    public void After() => log.Start(nameof(After));
}

[Workflow]
public partial class WaitAllGroup(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task FailsFirst()
    {
        await Task.Delay(10);
        throw new InvalidOperationException("first");
    }

    [Parallel("g")]
    public async Task FailsSecond()
    {
        await Task.Delay(30);
        throw new ArgumentException("second");
    }

    [Parallel("g")]
    public async Task Succeeding(CancellationToken ct)
    {
        log.Start(nameof(Succeeding));
        try
        {
            await Task.Delay(150, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Succeeding));
            throw;
        }

        log.End(nameof(Succeeding));
    }

    [Step]
    public void After() => log.Start(nameof(After));
}

[Workflow]
public partial class WaitAllSingleFailure
{
    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task Fails()
    {
        await Task.Yield();
        throw new TimeoutException();
    }

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public Task Succeeds(CancellationToken ct) => Task.Delay(20, ct);
}

[Workflow]
public partial class WaitAllSynchronous
{
    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public void Unsupported() => throw new NotSupportedException();

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public int Missing() => throw new KeyNotFoundException();

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public int Fine() => 1;
}

[Workflow]
public partial class WaitAllSuccess
{
    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task<int> A()
    {
        await Task.Delay(10);
        return 1;
    }

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public int B() => 2;
}

[Workflow]
public partial class FailingSingleStep(EventLog log)
{
    [Step]
    public void Before() => log.Start(nameof(Before));

    [Step]
    public async Task<int> Failing()
    {
        log.Start(nameof(Failing));
        await Task.Yield();
        throw new DivideByZeroException();
    }

    [Step]
    public void After(int failing) => log.Start(nameof(After) + failing);
}

[Workflow]
public partial class FailingSynchronousStep(EventLog log)
{
    [Step]
    public string Failing()
    {
        log.Start(nameof(Failing));
        throw new InvalidCastException();
    }

    [Step]
    public void After(string failing) => log.Start(nameof(After) + failing);
}
