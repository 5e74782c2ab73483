using System.IO;

namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class ContinueOnErrorStepTests
{
    public ContinueOnErrorStepTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task A_failure_becomes_a_failed_Outcome_holding_the_original_exception_and_the_run_continues()
    {
        var log = new EventLog();
        var workflow = new OptionalEnrichment(log) { Fail = true };

        var result = await workflow.RunAsync(5).OrTimeout();

        Assert.Equal("5 without enrichment", result);
        var outcome = workflow.Seen;
        Assert.False(outcome.IsSuccess);
        Assert.Same(workflow.Thrown, outcome.Exception);
        Assert.False(outcome.TryGetValue(out _));
        Assert.Equal(new[] { "start Enrich", "start Report", "start Finish" }, log.Events);
    }

    [Fact]
    public async Task Reading_Value_of_a_failed_Outcome_rethrows_the_original_exception()
    {
        var workflow = new OptionalEnrichment(new EventLog()) { Fail = true };

        await workflow.RunAsync(5).OrTimeout();

        var outcome = workflow.Seen;
        var exception = Assert.Throws<InvalidDataException>(() => outcome.Value);
        Assert.Same(workflow.Thrown, exception);
        Assert.Contains(nameof(OptionalEnrichment.Enrich), exception.StackTrace);
    }

    [Fact]
    public async Task A_success_is_a_successful_Outcome_with_the_value()
    {
        var workflow = new OptionalEnrichment(new EventLog()) { Fail = false };

        var result = await workflow.RunAsync(5).OrTimeout();

        Assert.Equal("5 enriched to 50", result);
        Assert.True(workflow.Seen.IsSuccess);
        Assert.Null(workflow.Seen.Exception);
        Assert.Equal(50, workflow.Seen.Value);
        Assert.True(workflow.Seen.TryGetValue(out var value));
        Assert.Equal(50, value);
    }

    [Fact]
    public async Task A_synchronous_step_may_fail_without_failing_the_run()
    {
        var log = new EventLog();

        var result = await new SynchronousOptionalSteps(log).RunAsync().OrTimeout();

        Assert.Equal("FormatException", result);
        Assert.Equal(new[] { "start Parse", "start Summarize" }, log.Events);
    }

    // Disabled: the generator emits `catch (Exception __exception)` with the variable unused for a ContinueOnError
    // step without a value, which is warning CS0168 and so a build error under TreatWarningsAsErrors. Define
    // FLOWS_VOID_CONTINUE_ON_ERROR to reproduce; enable once the generator is fixed.
    [Fact]
    public async Task A_step_without_value_may_fail_without_failing_the_run()
    {
        var log = new EventLog();

        var result = await new OptionalStepWithoutValue(log).RunAsync().OrTimeout();

        Assert.Equal("done", result);
        Assert.Equal(new[] { "start Notify", "start NotifyNow", "start Finish" }, log.Events);
    }

    [Fact]
    public async Task With_Retry_the_Outcome_is_the_result_of_the_last_attempt()
    {
        var attempts = new AttemptLog();

        var (flaky, broken) = await new RetriedOptionalSteps(attempts).RunAsync().OrTimeout();

        Assert.Equal("ok on 2", flaky);
        Assert.Equal("IOException: broken 3", broken);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(RetriedOptionalSteps.Flaky)));
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(RetriedOptionalSteps.Broken)));
    }

    [Fact]
    public async Task A_timed_out_optional_step_gives_an_Outcome_holding_its_StepTimeoutException()
    {
        var result = await new TimedOptionalStep().RunAsync().OrTimeout();

        Assert.Equal(nameof(TimedOptionalStep.Slow), result);
    }

    [Fact]
    public async Task Cancelling_the_run_during_an_optional_step_still_ends_the_run_with_OperationCanceledException()
    {
        var log = new EventLog();
        var workflow = new CancellableOptionalStep(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Contains("cancelled Wait", log.Events);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("After"));
    }
}

[Workflow]
public partial class OptionalEnrichment(EventLog log)
{
    public bool Fail { get; init; }

    public Exception? Thrown { get; private set; }

    public Outcome<int> Seen { get; private set; }

    [Step(ContinueOnError = true)]
    public async Task<int> Enrich(int id)
    {
        log.Start(nameof(Enrich));
        await Task.Delay(10);
        if (Fail)
        {
            Thrown = new InvalidDataException("enrichment service is down");
            throw Thrown;
        }

        return id * 10;
    }

    [Step]
    public string Report(int id, Outcome<int> enrich)
    {
        log.Start(nameof(Report));
        Seen = enrich;
        return enrich.TryGetValue(out var value) ? $"{id} enriched to {value}" : $"{id} without enrichment";
    }

    [Step]
    public string Finish(string report)
    {
        log.Start(nameof(Finish));
        return report;
    }
}

[Workflow]
public partial class SynchronousOptionalSteps(EventLog log)
{
    [Step(ContinueOnError = true)]
    public int Parse()
    {
        log.Start(nameof(Parse));
        throw new FormatException("not a number");
    }

    [Step]
    public string Summarize(Outcome<int> parse)
    {
        log.Start(nameof(Summarize));
        return parse.Exception!.GetType().Name;
    }
}

[Workflow]
public partial class OptionalStepWithoutValue(EventLog log)
{
    [Step(ContinueOnError = true)]
    public async Task Notify()
    {
        log.Start(nameof(Notify));
        await Task.Yield();
        throw new IOException("mail server down");
    }

    [Step(ContinueOnError = true)]
    public void NotifyNow()
    {
        log.Start(nameof(NotifyNow));
        throw new IOException("mail server down");
    }

    [Step]
    public string Finish()
    {
        log.Start(nameof(Finish));
        return "done";
    }
}

[Workflow]
public partial class RetriedOptionalSteps(AttemptLog attempts)
{
    [Step(ContinueOnError = true), Retry(3)]
    public async Task<string> Flaky(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        return context.Attempt < 2 ? throw new IOException("flaky") : $"ok on {context.Attempt}";
    }

    [Step(ContinueOnError = true), Retry(3)]
    public async Task<string> Broken(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        throw new IOException($"broken {context.Attempt}");
    }

    [Step]
    public string DescribeFlaky(Outcome<string> flaky) => flaky.Value;

    [Step]
    public string DescribeBroken(Outcome<string> broken) => $"{broken.Exception!.GetType().Name}: {broken.Exception.Message}";

    [Step]
    public (string, string) Both(string describeFlaky, string describeBroken) => (describeFlaky, describeBroken);
}

[Workflow]
public partial class TimedOptionalStep
{
    [Step(ContinueOnError = true), Timeout(100)]
    public async Task<int> Slow(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return 1;
    }

    [Step]
    public string Describe(Outcome<int> slow) => slow.Exception is StepTimeoutException timeout ? timeout.StepName : "no timeout: " + slow;
}

[Workflow]
public partial class CancellableOptionalStep(EventLog log)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step(ContinueOnError = true)]
    public async Task<int> Wait(CancellationToken ct)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Wait));
            throw;
        }

        return 1;
    }

    [Step]
    public void After(Outcome<int> wait) => log.Start(nameof(After));
}
