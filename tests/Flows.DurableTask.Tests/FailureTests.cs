namespace Flows.DurableTask.Tests;

/// <summary>The failure types, the failure recorded for a run, and the jitter function, without a host.</summary>
public sealed class FailureTests
{
    [Fact]
    public void A_step_failure_reads_back_from_its_recorded_form()
    {
        var failure = new DurableStepException("Reserve", "System.InvalidOperationException", "Out of stock: item 'A: 1'.");
        var recorded = TaskFailureDetails.FromException(failure);

        var client = DurableWorkflowException.FromFailureDetails("run-1", recorded);

        Assert.Equal("Step 'Reserve' failed: System.InvalidOperationException: Out of stock: item 'A: 1'.", failure.Message);
        Assert.Equal(typeof(DurableStepException).FullName, recorded.ErrorType);
        Assert.Equal(("Reserve", "System.InvalidOperationException", "Out of stock: item 'A: 1'."), (client.StepName, client.ErrorType, client.ErrorMessage));
        Assert.Equal("run-1", client.InstanceId);
        Assert.Same(recorded, client.FailureDetails);
    }

    [Fact]
    public void A_failure_not_from_a_step_keeps_its_type_and_message_without_a_step()
    {
        var client = DurableWorkflowException.FromFailureDetails("run-2", new TaskFailureDetails("System.ArgumentException", "bad input", null, null, null));

        Assert.Null(client.StepName);
        Assert.Equal(("System.ArgumentException", "bad input"), (client.ErrorType, client.ErrorMessage));
        Assert.Equal("Workflow run 'run-2' failed: System.ArgumentException: bad input", client.Message);
    }

    [Fact]
    public void A_raw_activity_failure_gives_the_activity_s_type_and_message()
    {
        var activity = new TaskFailureDetails("System.IO.IOException", "disk full", null, null, null);
        var recorded = new TaskFailureDetails(typeof(TaskFailedException).FullName!, "Task 'Save' (#2) failed with an unhandled exception: disk full", null, activity, null);

        var client = DurableWorkflowException.FromFailureDetails("run-3", recorded);

        Assert.Null(client.StepName);
        Assert.Equal(("System.IO.IOException", "disk full"), (client.ErrorType, client.ErrorMessage));
        Assert.Same(recorded, client.FailureDetails);
    }

    [Fact]
    public void A_sub_orchestration_failed_in_a_step_keeps_that_step()
    {
        var inner = TaskFailureDetails.FromException(new DurableStepException("Charge", "System.TimeoutException", "slow"));
        var failure = DurableStepException.FromTaskFailure("Flows.Shop.Checkout.Part1", new TaskFailedException("Flows.Shop.Checkout.Part1", 4, inner));

        Assert.Equal(("Charge", "System.TimeoutException", "slow"), (failure.StepName, failure.ErrorType, failure.ErrorMessage));
        Assert.True(failure.IsCausedBy<TimeoutException>());
    }

    [Fact]
    public void A_run_fails_with_a_step_failure_naming_the_step()
    {
        var timeout = new StepTimeoutException("Charge", TimeSpan.FromMilliseconds(200));
        var step = new DurableStepException("Ship", "System.InvalidOperationException", "no truck");
        var aggregate = new AggregateException("Group 'g': 0 of 2 members succeeded.", timeout, step);

        var forTimeout = Assert.IsType<DurableStepException>(DurableFailure.ForRun(timeout));
        var forAggregate = Assert.IsType<DurableStepException>(DurableFailure.ForRun(aggregate));
        var other = new ArgumentException("bug");

        Assert.Equal(("Charge", typeof(StepTimeoutException).FullName, timeout.Message), (forTimeout.StepName, forTimeout.ErrorType, forTimeout.ErrorMessage));
        Assert.Same(step, DurableFailure.ForRun(step));
        Assert.Equal(("Charge", typeof(AggregateException).FullName), (forAggregate.StepName, forAggregate.ErrorType));
        Assert.Contains("no truck", forAggregate.ErrorMessage);
        Assert.Same(other, DurableFailure.ForRun(other));
    }

    [Fact]
    public void Retry_decisions_follow_the_in_process_rules()
    {
        var policy = new DurableStepPolicy("S", maxAttempts: 3);
        var listed = new DurableStepPolicy("S", maxAttempts: 3, retryOn: new[] { typeof(TimeoutException) });
        var failure = new DurableStepException("S", "System.InvalidOperationException", "x");
        var cancelled = new DurableStepException("S", "System.Threading.Tasks.TaskCanceledException", "x",
            new TaskFailureDetails("System.Threading.Tasks.TaskCanceledException", "x", null, null, null));
        var timeout = new StepTimeoutException("S", TimeSpan.FromSeconds(1));

        Assert.True(policy.ShouldRetry(failure, 1));
        Assert.True(policy.ShouldRetry(failure, 2));
        Assert.False(policy.ShouldRetry(failure, 3));
        Assert.False(policy.ShouldRetry(cancelled, 1));
        Assert.True(policy.ShouldRetry(timeout, 1));
        Assert.False(listed.ShouldRetry(failure, 1));
        Assert.True(listed.ShouldRetry(timeout, 1));
    }

    [Fact]
    public void Delays_without_jitter_are_the_in_process_ones()
    {
        foreach (var backoff in new[] { Backoff.Constant, Backoff.Linear, Backoff.Exponential })
        {
            var durable = new DurableStepPolicy("S", 6, 40, backoff);
            var inProcess = new StepPolicy("W", "S", 6, 40, backoff);
            for (var attempt = 1; attempt < 6; attempt++)
            {
                Assert.Equal(inProcess.DelayAfter(attempt), durable.DelayAfter(attempt, "any instance"));
            }
        }
    }

    [Fact]
    public void Jitter_is_a_function_of_instance_step_item_and_attempt()
    {
        var factors = new HashSet<double>();
        foreach (var instance in new[] { "a", "b", "order-42", "order-43" })
        {
            foreach (var step in new[] { "Reserve", "Charge" })
            {
                for (var index = -1; index < 3; index++)
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        var factor = DeterministicJitter.Factor(instance, step, index, attempt);
                        Assert.Equal(factor, DeterministicJitter.Factor(new string(instance.ToCharArray()), step, index, attempt));
                        Assert.InRange(factor, 0.5, 0.99999999);
                        factors.Add(factor);
                    }
                }
            }
        }

        // 96 inputs, 96 different factors, spread over the range.
        Assert.Equal(96, factors.Count);
        Assert.True(factors.Min() < 0.6 && factors.Max() > 0.9, $"{factors.Min()} .. {factors.Max()}");
    }

    [Fact]
    public void Jitter_does_not_depend_on_the_process()
    {
        // Pinned values: string.GetHashCode is randomized per process, this must not be.
        Assert.Equal(0.76367896112474409, DeterministicJitter.Factor("order-42", "Reserve", -1, 1), 15);
        Assert.Equal(0.98084700026661942, DeterministicJitter.Factor("order-42", "Reserve", 3, 2), 15);
    }
}
