namespace Flows.Runtime.Tests;

/// <summary>The runtime of parallel groups: <see cref="ParallelBlock"/> and <see cref="LinkedCancellation"/>.</summary>
public sealed class ParallelBlockTests
{
    [Fact]
    public async Task FailFast_rethrows_the_first_failure_with_its_original_type_after_every_member_stopped()
    {
        var linked = LinkedCancellation.Create(CancellationToken.None);
        var block = new ParallelBlock(FailurePolicy.FailFast, 3, linked.Source, CancellationToken.None);
        var token = linked.Token;
        var stubbornEnded = false;
        var cancelledObserved = false;

        async Task Failing()
        {
            await Task.Delay(30);
            throw new ItemFailedException(1);
        }

        async Task ObservesToken()
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelledObserved = true;
                throw;
            }
        }

        async Task Stubborn()
        {
            await Task.Delay(200, CancellationToken.None);
            stubbornEnded = true;
        }

        block.Add(ObservesToken());
        block.Add(Failing());
        block.Add(Stubborn());

        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => block.WhenAll().OrTimeout());
        linked.Dispose();

        Assert.Equal(1, exception.Index);
        Assert.Contains(nameof(Failing), exception.StackTrace);
        Assert.True(cancelledObserved, "The sibling did not see the cancellation.");
        Assert.True(stubbornEnded, "The block completed before every member stopped.");
    }

    [Fact]
    public async Task FailFast_with_a_member_that_failed_synchronously()
    {
        var linked = LinkedCancellation.Create(CancellationToken.None);
        var block = new ParallelBlock(FailurePolicy.FailFast, 2, linked.Source, CancellationToken.None);
        var token = linked.Token;

        block.Add(Task.FromException(new ItemFailedException(0)));
        block.Add(Task.Delay(Timeout.Infinite, token));

        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => block.WhenAll().OrTimeout());
        linked.Dispose();
        Assert.Equal(0, exception.Index);
    }

    [Fact]
    public async Task WaitAll_runs_every_member_then_throws_all_failures_in_member_order()
    {
        var block = new ParallelBlock(FailurePolicy.WaitAll, 4, null, CancellationToken.None);
        var lastEnded = false;

        async Task Fails(int index, int delay)
        {
            await Task.Delay(delay);
            throw new ItemFailedException(index);
        }

        async Task Succeeds()
        {
            await Task.Delay(150);
            lastEnded = true;
        }

        block.Add(Fails(0, 80));
        block.Add(Succeeds());
        block.Add(Fails(2, 10)); // fails first in time, listed second
        block.Add(Task.CompletedTask);

        var exception = await Assert.ThrowsAsync<AggregateException>(() => block.WhenAll().OrTimeout());

        Assert.True(lastEnded, "WaitAll completed before every member ended.");
        Assert.Equal(new[] { 0, 2 }, exception.InnerExceptions.Select(e => Assert.IsType<ItemFailedException>(e).Index));
    }

    [Fact]
    public async Task WaitAll_with_typed_value_tasks_gives_their_values_on_success()
    {
        var block = new ParallelBlock(FailurePolicy.WaitAll, 2, null, CancellationToken.None);

        var one = block.Add(new ValueTask<int>(1));
        var two = block.Add(new ValueTask<int>(Task.Delay(20).ContinueWith(_ => 2, TaskScheduler.Default)));
        await block.WhenAll().OrTimeout();

        Assert.Equal(1, await one);
        Assert.Equal(2, await two);
    }

    [Theory]
    [InlineData(FailurePolicy.FailFast)]
    [InlineData(FailurePolicy.WaitAll)]
    public async Task Caller_cancellation_ends_the_block_with_OperationCanceledException(FailurePolicy policy)
    {
        using var run = new CancellationTokenSource();
        var linked = LinkedCancellation.Create(run.Token);
        var token = policy == FailurePolicy.FailFast ? linked.Token : run.Token;
        var block = new ParallelBlock(policy, 2, policy == FailurePolicy.FailFast ? linked.Source : null, run.Token);

        block.Add(Task.Delay(Timeout.Infinite, token));
        block.Add(Task.Delay(Timeout.Infinite, token));
        run.CancelAfter(30);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block.WhenAll().OrTimeout());
        linked.Dispose();
    }

    [Fact]
    public void A_block_refuses_a_value_that_is_not_a_failure_policy() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelBlock((FailurePolicy)42, 1, null, CancellationToken.None));

    [Fact]
    public async Task A_block_of_members_that_all_succeeded_completes()
    {
        var block = new ParallelBlock(FailurePolicy.FailFast, 2, null, CancellationToken.None);
        block.Add(Task.CompletedTask);
        block.Add(Task.Delay(10));

        await block.WhenAll().OrTimeout();
    }

    [Fact]
    public void LinkedCancellation_is_cancelled_with_its_parent()
    {
        using var parent = new CancellationTokenSource();
        var linked = LinkedCancellation.Create(parent.Token);

        Assert.False(linked.Token.IsCancellationRequested);
        parent.Cancel();
        Assert.True(linked.Token.IsCancellationRequested);
        linked.Dispose();
    }

    [Fact]
    public void LinkedCancellation_cancelling_it_does_not_cancel_the_parent()
    {
        using var parent = new CancellationTokenSource();
        var linked = LinkedCancellation.Create(parent.Token);

        linked.Source.Cancel();
        Assert.False(parent.IsCancellationRequested);
        linked.Dispose();
    }

    [Fact]
    public void LinkedCancellation_reuses_a_source_that_was_never_cancelled_and_unlinks_it_from_the_old_parent()
    {
        using var oldParent = new CancellationTokenSource();
        var first = LinkedCancellation.Create(oldParent.Token);
        var source = first.Source;
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Source);
        first.Dispose(); // a second Dispose does nothing

        var second = LinkedCancellation.Create(CancellationToken.None);
        Assert.Same(source, second.Source);

        oldParent.Cancel();
        Assert.False(second.Token.IsCancellationRequested, "The reused source is still linked to the parent it had before.");
        second.Dispose();
    }

    [Fact]
    public void LinkedCancellation_does_not_reuse_a_cancelled_source()
    {
        var first = LinkedCancellation.Create(CancellationToken.None);
        var source = first.Source;
        source.Cancel();
        first.Dispose();

        var second = LinkedCancellation.Create(CancellationToken.None);
        Assert.NotSame(source, second.Source);
        Assert.False(second.Token.IsCancellationRequested);
        second.Dispose();
    }

    [Fact]
    public void LinkedCancellation_of_a_cancelled_parent_is_cancelled_at_once_and_not_reused()
    {
        var linked = LinkedCancellation.Create(new CancellationToken(true));
        var source = linked.Source;
        Assert.True(linked.Token.IsCancellationRequested);
        linked.Dispose();

        var next = LinkedCancellation.Create(CancellationToken.None);
        Assert.NotSame(source, next.Source);
        Assert.False(next.Token.IsCancellationRequested);
        next.Dispose();
    }

    [Fact]
    public void LinkedCancellation_drops_callbacks_registered_by_its_previous_user()
    {
        var first = LinkedCancellation.Create(CancellationToken.None);
        var called = false;
        first.Token.Register(() => called = true);
        first.Dispose();

        var second = LinkedCancellation.Create(CancellationToken.None);
        second.Source.Cancel();
        second.Dispose();

        Assert.False(called, "A callback of the source's previous user ran when its next user cancelled it.");
    }

    [Fact]
    public async Task A_rented_block_is_reused_after_its_result_was_read_and_starts_clean()
    {
        // A failed run through a rented block must leave nothing behind for the next user.
        var failing = ParallelBlock.Rent(FailurePolicy.FailFast, 2, null, CancellationToken.None);
        var gate = new TaskCompletionSource();
        failing.Add(Task.FromException(new InvalidOperationException("first")));
        failing.Add(gate.Task);
        gate.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing.WhenAll());

        var next = ParallelBlock.Rent(FailurePolicy.WaitAll, 2, null, CancellationToken.None);
        Assert.Same(failing, next);
        var pending = new TaskCompletionSource();
        next.Add(pending.Task);
        var whenAll = next.WhenAll();
        Assert.False(whenAll.IsCompleted);
        pending.SetResult();
        await whenAll;
    }
}
