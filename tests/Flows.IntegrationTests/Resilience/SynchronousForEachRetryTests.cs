namespace Flows.IntegrationTests.ResilienceSteps;

/// <summary>
/// A synchronous foreach step with <see cref="RetryAttribute"/> runs its items on thread-pool workers; an item that
/// failed waits for its retry delay there. The worker must wait for it, not read the pending result (which crashed the
/// test host: the pooled state machine went back to its pool while it was still running).
/// </summary>
public sealed class SynchronousForEachRetryTests
{
    public SynchronousForEachRetryTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Items_of_a_synchronous_step_retried_after_a_delay_succeed_on_their_second_attempt()
    {
        var attempts = new AttemptLog();

        var results = await new RetriedSynchronousItems(attempts).RunAsync(Enumerable.Range(0, 24).ToArray()).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 24).Select(item => item * 3), results);
        Assert.All(Enumerable.Range(0, 24), item => Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf($"Triple[{item}]")));
    }
}

[Workflow]
public partial class RetriedSynchronousItems(AttemptLog attempts)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 4), Retry(2, DelayMilliseconds = 5)]
    public int Triple(int item, StepContext context)
    {
        attempts.Record(context);
        return context.Attempt == 1 ? throw new InvalidOperationException("first attempt of " + item) : item * 3;
    }
}
