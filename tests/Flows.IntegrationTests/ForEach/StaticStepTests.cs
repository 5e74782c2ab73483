namespace Flows.IntegrationTests.ForEachSteps;

/// <summary>Static step methods in an instance workflow: foreach bodies, retried and timed steps, with and without hooks.</summary>
public sealed class StaticStepTests
{
    [Fact]
    public async Task Static_foreach_bodies_run_for_every_item_in_order()
    {
        var (doubled, lengths) = await new StaticBodies().RunAsync(new[] { 1, 2, 3 }, new[] { "a", "bcd" }).OrTimeout();

        Assert.Equal(new[] { 2, 4, 6 }, doubled);
        Assert.Equal(new[] { 1, 3 }, lengths);
    }

    [Fact]
    public async Task A_static_step_with_retry_and_timeout_is_retried_and_hooks_see_every_item()
    {
        var workflow = new StaticResilientSteps();

        var result = await workflow.RunAsync(new[] { 5, 6 }).OrTimeout();

        Assert.Equal(new[] { 50, 60 }, result);
        Assert.Equal(2, workflow.Completed);
    }
}

[Workflow]
public partial class StaticBodies
{
    [ParallelForEach("items"), Parallel("both")]
    public static int Double(int item) => item * 2;

    [ParallelForEach("names"), Parallel("both")]
    public static Task<int> LengthAsync(string name, CancellationToken cancellationToken) => Task.FromResult(name.Length);
}

[Workflow]
public partial class StaticResilientSteps
{
    private int _completed;

    public int Completed => Volatile.Read(ref _completed);

    [Step, Retry(3, DelayMilliseconds = 1)]
    public static int Factor(StepContext context) => context.Attempt < 2 ? throw new InvalidOperationException("first attempt fails") : 10;

    [ParallelForEach("values", MaxDegreeOfParallelism = 2), Timeout(5_000)]
    public static int Scale(int item, int factor) => item * factor;

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed)
    {
        if (context.Step == nameof(Scale) && context.Index >= 0)
        {
            Interlocked.Increment(ref _completed);
        }
    }
}
