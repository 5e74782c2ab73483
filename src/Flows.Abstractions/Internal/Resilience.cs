using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Flows.Internal;

/// <summary>
/// One call of a step with <see cref="RetryAttribute"/> or <see cref="TimeoutAttribute"/>, as generated code hands it
/// to <see cref="Resilience"/>: a small struct holding the workflow and the step's arguments.
/// Not meant to be implemented by user code.
/// </summary>
/// <typeparam name="TResult">The step's value; <see cref="NoResult"/> when it returns none.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IStepCall<TResult>
{
    /// <summary>Runs one attempt.</summary>
    ValueTask<TResult> InvokeAsync(in StepContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The retry and timeout options of one step. Generated code keeps one instance per step in a static field.
/// Not meant to be used by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StepPolicy
{
    /// <summary>Creates the options; see <see cref="RetryAttribute"/> and <see cref="TimeoutAttribute"/>.</summary>
    /// <param name="workflow">The workflow's name.</param>
    /// <param name="step">The step's name.</param>
    /// <param name="maxAttempts">Attempts in all, at least 1.</param>
    /// <param name="delayMilliseconds">The delay before the second attempt.</param>
    /// <param name="backoff">How later delays grow.</param>
    /// <param name="jitter">Randomize each delay between half and the whole of it.</param>
    /// <param name="retryOn">Which failures are retried; null for every one but a cancellation.</param>
    /// <param name="timeoutMilliseconds">The limit on each attempt; 0 for none.</param>
    /// <param name="runOnThreadPool">The step is synchronous and must run on the thread pool (a member of a parallel group).</param>
    public StepPolicy(
        string workflow,
        string step,
        int maxAttempts = 1,
        int delayMilliseconds = 0,
        Backoff backoff = Backoff.Constant,
        bool jitter = false,
        Func<Exception, bool>? retryOn = null,
        int timeoutMilliseconds = 0,
        bool runOnThreadPool = false)
    {
        Workflow = workflow;
        Step = step;
        MaxAttempts = Math.Max(1, maxAttempts);
        Delay = TimeSpan.FromMilliseconds(Math.Max(0, delayMilliseconds));
        Backoff = backoff;
        Jitter = jitter;
        RetryOn = retryOn;
        Timeout = timeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(timeoutMilliseconds) : TimeSpan.Zero;
        RunOnThreadPool = runOnThreadPool;
    }

    /// <summary>The workflow's name.</summary>
    public string Workflow { get; }

    /// <summary>The step's name.</summary>
    public string Step { get; }

    /// <summary>Attempts in all.</summary>
    public int MaxAttempts { get; }

    /// <summary>The delay before the second attempt.</summary>
    public TimeSpan Delay { get; }

    /// <summary>How later delays grow.</summary>
    public Backoff Backoff { get; }

    /// <summary>Whether delays are randomized.</summary>
    public bool Jitter { get; }

    /// <summary>Which failures are retried; null for every one but a cancellation.</summary>
    public Func<Exception, bool>? RetryOn { get; }

    /// <summary>The limit on each attempt; zero for none.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether attempts run on the thread pool.</summary>
    public bool RunOnThreadPool { get; }

    /// <summary>The delay after failed attempt <paramref name="attempt"/> (from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var factor = Backoff switch
        {
            Backoff.Linear => attempt,
            Backoff.Exponential => Math.Pow(2, attempt - 1),
            _ => 1,
        };
        var delay = Delay.TotalMilliseconds * factor;
        if (Jitter)
        {
            delay *= 0.5 + (Random.Shared.NextDouble() * 0.5);
        }

        return TimeSpan.FromMilliseconds(Math.Min(delay, int.MaxValue - 1));
    }

    /// <summary>Whether a failure of attempt <paramref name="attempt"/> is tried again.</summary>
    public bool ShouldRetry(Exception exception, int attempt, CancellationToken runToken)
    {
        if (attempt >= MaxAttempts)
        {
            return false;
        }

        // A cancellation caused by the run's own token is never retried; nor, by default, any cancellation.
        if (runToken.IsCancellationRequested)
        {
            return false;
        }

        return RetryOn is null ? exception is not OperationCanceledException : RetryOn(exception);
    }
}

/// <summary>
/// Runs a step with retries and a per-attempt timeout. The first attempt is invoked directly, so a step that
/// succeeds at once costs nothing more than its call; waiting is done by a pooled state machine.
/// Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Resilience
{
    /// <summary>Runs a step's <paramref name="call"/> under <paramref name="policy"/>.</summary>
    /// <param name="call">The step's call.</param>
    /// <param name="policy">The step's retry and timeout options.</param>
    /// <param name="cancellationToken">The step's token.</param>
    /// <param name="observation">In an observed run, the step's observation, told of every retry; otherwise null.</param>
    public static ValueTask<TResult> RunAsync<TResult, TCall>(TCall call, StepPolicy policy, CancellationToken cancellationToken, StepObservation? observation = null)
        where TCall : IStepCall<TResult> =>
        Run<TResult, TCall>(call, policy, cancellationToken, -1, -1, observation);

    /// <summary>Runs the <paramref name="call"/> of one foreach item under <paramref name="policy"/>.</summary>
    /// <param name="call">The item's call.</param>
    /// <param name="policy">The step's retry and timeout options, applied to each item on its own.</param>
    /// <param name="cancellationToken">The item's token.</param>
    /// <param name="item">The item's context from the foreach engine: its position, the number of items and, in an observed run, its observation.</param>
    public static ValueTask<TResult> RunAsync<TResult, TCall>(TCall call, StepPolicy policy, CancellationToken cancellationToken, in StepContext item)
        where TCall : IStepCall<TResult> =>
        Run<TResult, TCall>(call, policy, cancellationToken, item.Index, item.Count, item.Observation);

    private static ValueTask<TResult> Run<TResult, TCall>(TCall call, StepPolicy policy, CancellationToken cancellationToken, int index, int count, StepObservation? observation)
        where TCall : IStepCall<TResult>
    {
        if (policy.Timeout > TimeSpan.Zero || policy.RunOnThreadPool)
        {
            return RunAttemptsAsync<TResult, TCall>(call, policy, default, cancellationToken, index, count, observation);
        }

        ValueTask<TResult> first;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            first = call.InvokeAsync(new StepContext(policy.Workflow, policy.Step, 1, index, count), cancellationToken);
        }
        catch (Exception exception)
        {
            first = ValueTask.FromException<TResult>(exception);
        }

        return first.IsCompletedSuccessfully ? first : RunAttemptsAsync<TResult, TCall>(call, policy, first, cancellationToken, index, count, observation);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TResult> RunAttemptsAsync<TResult, TCall>(
        TCall call, StepPolicy policy, ValueTask<TResult> first, CancellationToken cancellationToken, int index, int count, StepObservation? observation)
        where TCall : IStepCall<TResult>
    {
        if (policy.RunOnThreadPool)
        {
            await default(ThreadPoolHop);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt == 1 && !policy.RunOnThreadPool && policy.Timeout == TimeSpan.Zero)
                {
                    return await first.ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                var context = new StepContext(policy.Workflow, policy.Step, attempt, index, count);
                return policy.Timeout > TimeSpan.Zero
                    ? await InvokeWithTimeoutAsync<TResult, TCall>(call, context, policy, cancellationToken).ConfigureAwait(false)
                    : await call.InvokeAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The step's token was cancelled (by the run's caller, the run's or the group's timeout, or a failure
                // elsewhere in its group or loop) while this failure was being handled: the attempt is not retried and
                // ends as cancelled, whatever it failed with, so that what cancelled the token decides the outcome:
                // a caller's cancellation ends the run with OperationCanceledException, a timeout with TimeoutException.
                if (cancellationToken.IsCancellationRequested && exception is not OperationCanceledException)
                {
                    throw new OperationCanceledException($"Step '{policy.Step}' was cancelled while its failure was handled.", exception, cancellationToken);
                }

                if (!policy.ShouldRetry(exception, attempt, cancellationToken))
                {
                    throw;
                }

                observation?.Retrying(attempt, exception);

                // A cancellation during the delay ends the step with OperationCanceledException; the next attempt
                // checks the token again before it starts.
                await Task.Delay(policy.DelayAfter(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The attempt's token is cancelled when the limit passes; the attempt is still waited for, so that nothing keeps
    // running unobserved, and then fails with StepTimeoutException whatever it ended with: a value, its own exception or
    // a cancellation. Whether the limit passed is read from the clock as well as from the token, because the timer's
    // callback may not have run yet when a late attempt ends on a busy machine.
    private static async ValueTask<TResult> InvokeWithTimeoutAsync<TResult, TCall>(TCall call, StepContext context, StepPolicy policy, CancellationToken cancellationToken)
        where TCall : IStepCall<TResult>
    {
        var deadline = Deadline.After(policy.Timeout);
        var attemptCancellation = LinkedCancellation.Create(cancellationToken);
        try
        {
            attemptCancellation.Source.CancelAfter(policy.Timeout);
            TResult result;
            try
            {
                result = await call.InvokeAsync(context, attemptCancellation.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (TimedOut(attemptCancellation.Source, deadline, cancellationToken))
            {
                throw new StepTimeoutException(policy.Step, policy.Timeout, exception);
            }

            // A step that ignored its token and finished past its limit still timed out.
            if (TimedOut(attemptCancellation.Source, deadline, cancellationToken))
            {
                throw new StepTimeoutException(policy.Step, policy.Timeout);
            }

            return result;
        }
        finally
        {
            attemptCancellation.Dispose();
        }
    }

    // The attempt's own limit stopped it: the clock has reached the limit, or the timer cancelled the attempt's token
    // (the timer may fire a little before the clock agrees) while the step's token was not cancelled. When the step's
    // token is cancelled too, the retry loop turns the StepTimeoutException into a cancellation.
    private static bool TimedOut(CancellationTokenSource attempt, long deadline, CancellationToken stepToken) =>
        Deadline.HasPassed(deadline) || (attempt.IsCancellationRequested && !stepToken.IsCancellationRequested);
}
