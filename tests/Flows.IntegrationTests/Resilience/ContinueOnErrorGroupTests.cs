using System.IO;

namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class ContinueOnErrorGroupTests
{
    public ContinueOnErrorGroupTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Each_member_gives_an_Outcome_and_a_failure_neither_fails_the_run_nor_cancels_the_siblings()
    {
        var log = new EventLog();
        var workflow = new TolerantGroup(log, failing: new[] { "Beta" });

        var summary = await workflow.RunAsync().OrTimeout();

        Assert.Equal("Alpha=1 Beta=InvalidDataException(Beta failed) Gamma=3", summary);
        Assert.Same(workflow.Thrown["Beta"], workflow.SeenBeta.Exception);
        Assert.DoesNotContain(log.Events, entry => entry.StartsWith("cancelled", StringComparison.Ordinal));
        Assert.Contains("end Gamma", log.Events);
        log.AssertBefore("failed Beta", "end Gamma");
    }

    [Fact]
    public async Task Reading_the_Value_of_a_failed_member_rethrows_its_original_exception()
    {
        var workflow = new TolerantGroup(new EventLog(), failing: new[] { "Beta" });

        await workflow.RunAsync().OrTimeout();

        var exception = Assert.Throws<InvalidDataException>(() => workflow.SeenBeta.Value);
        Assert.Same(workflow.Thrown["Beta"], exception);
    }

    [Fact]
    public async Task Every_member_may_fail_when_no_minimum_is_set()
    {
        var summary = await new TolerantGroup(new EventLog(), failing: new[] { "Alpha", "Beta", "Gamma" }).RunAsync().OrTimeout();

        Assert.Equal("Alpha=InvalidDataException(Alpha failed) Beta=InvalidDataException(Beta failed) Gamma=InvalidDataException(Gamma failed)", summary);
    }

    [Fact]
    public async Task MinSuccessCount_met_lets_the_run_continue_with_the_outcomes()
    {
        var log = new EventLog();

        var summary = await new GroupNeedingTwo(log, failing: new[] { "Gamma" }).RunAsync().OrTimeout();

        Assert.Equal("Alpha=1 Beta=2 Gamma=IOException(Gamma failed)", summary);
        Assert.True(log.Started("Summarize"));
    }

    [Fact]
    public async Task MinSuccessCount_not_met_fails_the_run_with_an_AggregateException_of_the_failures_after_every_member_ended()
    {
        var log = new EventLog();
        var workflow = new GroupNeedingTwo(log, failing: new[] { "Alpha", "Gamma" });

        var exception = await Assert.ThrowsAsync<AggregateException>(() => workflow.RunAsync().OrTimeout());

        Assert.Equal(2, exception.InnerExceptions.Count);
        Assert.Contains(workflow.Thrown["Alpha"], exception.InnerExceptions);
        Assert.Contains(workflow.Thrown["Gamma"], exception.InnerExceptions);
        Assert.Contains("end Beta", log.Events);
        Assert.False(log.Started("Summarize"));
    }

    [Fact]
    public async Task Cancelling_the_run_during_a_tolerant_group_ends_it_with_OperationCanceledException()
    {
        var log = new EventLog();
        var workflow = new CancellableTolerantGroup(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Contains("cancelled Waiting", log.Events);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("After"));
    }
}

/// <summary>Three members that each fail when named in <c>failing</c>, at different times.</summary>
[Workflow]
public partial class TolerantGroup(EventLog log, string[] failing)
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, Exception> Thrown { get; } = new();

    public Outcome<string> SeenBeta { get; private set; }

    [Parallel("g", Failure = FailurePolicy.ContinueOnError)]
    public async Task<int> Alpha(CancellationToken ct) => await Member(nameof(Alpha), 20, 1, ct);

    [Parallel("g")]
    public async Task<string> Beta(CancellationToken ct) => (await Member(nameof(Beta), 10, 2, ct)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Parallel("g")]
    public async Task<int> Gamma(CancellationToken ct) => await Member(nameof(Gamma), 150, 3, ct);

    [Step]
    public string Summarize(Outcome<int> alpha, Outcome<string> beta, Outcome<int> gamma)
    {
        SeenBeta = beta;
        return $"Alpha={Describe(alpha)} Beta={Describe(beta)} Gamma={Describe(gamma)}";
    }

    internal static string Describe<T>(Outcome<T> outcome) =>
        outcome.IsSuccess ? $"{outcome.Value}" : $"{outcome.Exception.GetType().Name}({outcome.Exception.Message})";

    private async Task<int> Member(string name, int milliseconds, int value, CancellationToken ct)
    {
        try
        {
            await Task.Delay(milliseconds, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + name);
            throw;
        }

        if (failing.Contains(name))
        {
            log.Add("failed " + name);
            throw Thrown.GetOrAdd(name, static key => new InvalidDataException(key + " failed"));
        }

        log.End(name);
        return value;
    }
}

[Workflow]
public partial class GroupNeedingTwo(EventLog log, string[] failing)
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, Exception> Thrown { get; } = new();

    [Parallel("g", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2)]
    public Task<int> Alpha() => Member(nameof(Alpha), 10, 1);

    [Parallel("g", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2)]
    public Task<int> Beta() => Member(nameof(Beta), 100, 2);

    [Parallel("g", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2)]
    public Task<int> Gamma() => Member(nameof(Gamma), 30, 3);

    [Step]
    public string Summarize(Outcome<int> alpha, Outcome<int> beta, Outcome<int> gamma)
    {
        log.Start(nameof(Summarize));
        return $"Alpha={TolerantGroup.Describe(alpha)} Beta={TolerantGroup.Describe(beta)} Gamma={TolerantGroup.Describe(gamma)}";
    }

    private async Task<int> Member(string name, int milliseconds, int value)
    {
        await Task.Delay(milliseconds);
        if (failing.Contains(name))
        {
            throw Thrown.GetOrAdd(name, static key => new IOException(key + " failed"));
        }

        log.End(name);
        return value;
    }
}

[Workflow]
public partial class CancellableTolerantGroup(EventLog log)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g", Failure = FailurePolicy.ContinueOnError)]
    public async Task<int> Waiting(CancellationToken ct)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Waiting));
            throw;
        }

        return 1;
    }

    [Parallel("g")]
    public async Task<int> Quick()
    {
        await Task.Delay(5);
        return 2;
    }

    [Step]
    public void After(Outcome<int> waiting, Outcome<int> quick) => log.Start(nameof(After));
}
