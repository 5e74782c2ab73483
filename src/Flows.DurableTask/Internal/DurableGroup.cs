using System.ComponentModel;
using System.Runtime.ExceptionServices;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Applies a parallel group's failure policy to its members in an orchestration: tasks of activity calls (with their
/// retries) that the generated code has already started, in declaration order. Not meant to be called by user code.
/// </summary>
/// <remarks>
/// <para>The policies are the in-process ones (<see cref="FailurePolicy"/>). An activity cannot be cancelled, so where
/// the in-process group cancels the other members (fail-fast, first-success) the durable one can only stop waiting for
/// them: fail-fast still waits for every member before it fails, as in-process, and schedules nothing in between;
/// first-success returns at the first success, so the next stage starts without waiting for the rest, whose failures are
/// observed. (Durable Task ends an instance only when none of its tasks is outstanding, so the run itself still ends
/// after its slowest member.)</para>
/// <para>Replay-safe: members are read in completion order through <see cref="Task.WhenAny(IEnumerable{Task})"/> and
/// <see cref="Task.WhenAll(IEnumerable{Task})"/>, which the orchestration's history decides. No <c>await</c> uses
/// <c>ConfigureAwait(false)</c>.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableGroup
{
    /// <summary>
    /// Fail-fast: waits for every member; then, if any failed, rethrows the first failure (in completion order) with its
    /// original type. The caller schedules nothing more after a failure.
    /// </summary>
    public static async Task FailFastAsync(params Task[] members)
    {
        ArgumentNullException.ThrowIfNull(members);

        // The first failure is recorded where it happens (a synchronous continuation per member): the orchestration
        // resumes here once, when every member has stopped, not once per member.
        var first = new FirstFailure();
        foreach (var member in members)
        {
            if (member.IsCompleted)
            {
                first.Observe(member);
            }
            else
            {
                _ = member.ContinueWith(
                    static (task, state) => ((FirstFailure)state!).Observe(task),
                    first,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        await WhenAllStoppedAsync(members);
        if (first.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    // The first failure among a group's members, in completion order.
    private sealed class FirstFailure
    {
        public Exception? Failure { get; private set; }

        public void Observe(Task member)
        {
            if (Failure is null && !member.IsCompletedSuccessfully)
            {
                Failure = TaskObservation.FailureOf(member);
            }
        }
    }

    /// <summary>Wait-all: waits for every member; then throws an <see cref="AggregateException"/> of every failure, in member order.</summary>
    public static async Task WaitAllAsync(params Task[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        await WhenAllStoppedAsync(members);
        if (FailuresOf(members) is { } failures)
        {
            throw new AggregateException(failures);
        }
    }

    /// <summary>
    /// Continue-on-error: waits for every member; fewer successes than <paramref name="minSuccessCount"/> throw an
    /// <see cref="AggregateException"/> of the failures, in member order. Read each member with <see cref="OutcomeOf{T}"/>.
    /// </summary>
    /// <param name="group">The group's name, for the message.</param>
    /// <param name="minSuccessCount">The fewest members that must succeed; 0 for no minimum.</param>
    /// <param name="members">The members, in declaration order.</param>
    public static async Task ContinueOnErrorAsync(string group, int minSuccessCount, params Task[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        await WhenAllStoppedAsync(members);
        var failures = FailuresOf(members);
        var successes = members.Length - (failures?.Count ?? 0);
        if (successes < minSuccessCount)
        {
            throw new AggregateException(
                $"Group '{group}': {successes} of {members.Length} members succeeded, fewer than the minimum of {minSuccessCount}.",
                failures!);
        }
    }

    /// <summary>A continue-on-error member's outcome, once <see cref="ContinueOnErrorAsync"/> has returned.</summary>
    public static Outcome<T> OutcomeOf<T>(Task<T> member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (!member.IsCompleted)
        {
            throw new InvalidOperationException("The member has not completed: await ContinueOnErrorAsync first.");
        }

        return member.IsCompletedSuccessfully ? Outcome<T>.Success(member.Result) : Outcome<T>.Failure(TaskObservation.FailureOf(member));
    }

    /// <summary>
    /// First-success: the value of the first member to succeed (in completion order), returned as soon as it does; the
    /// others run on, their results ignored. When every member fails, an <see cref="AggregateException"/> of every
    /// failure in member order.
    /// </summary>
    /// <param name="group">The group's name, for the message.</param>
    /// <param name="members">The members, in declaration order.</param>
    public static async Task<T> FirstSuccessAsync<T>(string group, params Task<T>[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var pending = new List<Task<T>>(members);
        while (pending.Count > 0)
        {
            var completed = await Task.WhenAny(pending);
            pending.Remove(completed);
            if (completed.IsCompletedSuccessfully)
            {
                foreach (var other in pending)
                {
                    TaskObservation.ObserveLater(other);
                }

                return completed.Result;
            }
        }

        throw new AggregateException($"No member of group '{group}' succeeded.", FailuresOf(members) ?? new List<Exception>());
    }

    // Task.WhenAll in the orchestration, with its exception left for FailuresOf to read member by member.
    private static async Task WhenAllStoppedAsync(Task[] members)
    {
        try
        {
            await Task.WhenAll(members);
        }
        catch (Exception)
        {
            // Every member has stopped; the failures are read from the members, in order.
        }
    }

    private static List<Exception>? FailuresOf(Task[] members)
    {
        List<Exception>? failures = null;
        foreach (var member in members)
        {
            if (!member.IsCompletedSuccessfully)
            {
                (failures ??= new List<Exception>()).Add(TaskObservation.FailureOf(member));
            }
        }

        return failures;
    }
}
