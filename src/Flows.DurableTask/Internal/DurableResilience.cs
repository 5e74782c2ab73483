using System.ComponentModel;
using System.Runtime.ExceptionServices;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Runs one step of a durable workflow (or one item of a foreach step) with its retries and per-attempt timeout, from
/// replay-safe calls only: the attempts are the caller's activity calls, the waits durable timers. Not meant to be
/// called by user code.
/// </summary>
/// <remarks>
/// Orchestrator code: every <c>await</c> here resumes on the orchestration's own scheduler, so none uses
/// <c>ConfigureAwait(false)</c> (which would resume elsewhere and break the replay).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableResilience
{
    /// <summary>
    /// Runs attempts until one succeeds or <paramref name="policy"/> says to stop. A failed activity ends as a
    /// <see cref="DurableStepException"/>, an attempt past its timeout as a <see cref="StepTimeoutException"/>; the last
    /// failure is thrown.
    /// </summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="policy">The step's retry and timeout options.</param>
    /// <param name="startAttempt">Schedules attempt n (from 1), typically one activity call, and returns its task.</param>
    /// <param name="index">The item's position in a foreach (it varies the jitter per item); -1 elsewhere.</param>
    public static async Task<TResult> RunAsync<TResult>(
        TaskOrchestrationContext context, DurableStepPolicy policy, Func<int, Task<TResult>> startAttempt, int index = -1)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(startAttempt);

        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            DurableRunEnd.ThrowIfEnded(context);
            try
            {
                var call = startAttempt(attempt);
                return policy.Timeout > TimeSpan.Zero
                    ? await WithTimeoutAsync(context, policy, call)
                    : await call;
            }
            catch (TaskFailedException exception)
            {
                failure = DurableStepException.FromTaskFailure(policy.Step, exception);
            }
            catch (StepTimeoutException exception)
            {
                failure = exception;
            }

            if (!policy.ShouldRetry(failure, attempt))
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            var delay = policy.DelayAfter(attempt, context.InstanceId, index);
            if (delay > TimeSpan.Zero)
            {
                DurableRunEnd.ThrowIfEnded(context);
                await context.CreateTimer(context.CurrentUtcDateTime.Add(delay), CancellationToken.None);
            }
        }
    }

    // The attempt raced with a durable timer. When the attempt wins, the timer is cancelled: Durable Task ends an instance
    // only when none of its tasks is outstanding, and a cancelled timer no longer counts (the backend's timer still fires
    // later and is ignored). When the timer wins, the attempt fails at once with StepTimeoutException and the orchestration
    // goes on (a retry, the next step); the activity cannot be cancelled, so it runs on, its result ignored and its failure
    // observed, and the instance cannot end before it has.
    private static async Task<TResult> WithTimeoutAsync<TResult>(TaskOrchestrationContext context, DurableStepPolicy policy, Task<TResult> call)
    {
        using var timerCancellation = new CancellationTokenSource();
        var timer = context.CreateTimer(context.CurrentUtcDateTime.Add(policy.Timeout), timerCancellation.Token);
        var first = await Task.WhenAny(call, timer);
        if (first == call)
        {
            timerCancellation.Cancel();
            return await call;
        }

        TaskObservation.ObserveLater(call);
        throw new StepTimeoutException(policy.Step, policy.Timeout);
    }
}
