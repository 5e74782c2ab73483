namespace Flows;

/// <summary>
/// Puts a step into a parallel group: all steps with the same group name run at the same time, as one
/// stage placed where the first member is declared.
/// </summary>
/// <remarks>
/// The options may be written on any member of the group; members that set one option to different
/// values are an error (FLOW009).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ParallelAttribute : Attribute
{
    /// <summary>Creates the attribute for the group named <paramref name="group"/>.</summary>
    /// <param name="group">The group's name; members of one group share it.</param>
    public ParallelAttribute(string group) => Group = group;

    /// <summary>The group's name.</summary>
    public string Group { get; }

    /// <summary>What a failing member does to the group. <see cref="FailurePolicy.FailFast"/> by default.</summary>
    public FailurePolicy Failure { get; set; } = FailurePolicy.FailFast;

    /// <summary>
    /// With <see cref="FailurePolicy.ContinueOnError"/>: the fewest members that must succeed; fewer
    /// successes fail the run with an <see cref="AggregateException"/>. <c>0</c> (the default) means no minimum.
    /// </summary>
    public int MinSuccessCount { get; set; }

    /// <summary>The longest the whole group may take, in milliseconds. <c>0</c> (the default) means no limit.</summary>
    /// <remarks>
    /// On expiry the members' token is cancelled; once every member has stopped (no member is left running), a member
    /// that ended after the limit counts as timed out, even if it ignored its token and returned a value: with
    /// <see cref="FailurePolicy.FailFast"/> and <see cref="FailurePolicy.WaitAll"/> the group fails with a
    /// <see cref="TimeoutException"/> (unless, with fail-fast, a member failed before the limit: that failure is
    /// rethrown); with <see cref="FailurePolicy.FirstSuccess"/> only a member that succeeded before the limit wins,
    /// otherwise <see cref="TimeoutException"/>; with <see cref="FailurePolicy.ContinueOnError"/> each late member's
    /// <see cref="Outcome{T}"/> is a failure holding a <see cref="TimeoutException"/>. Lateness is read from the clock,
    /// not from whether the timer has fired yet. A cancellation by the caller ends the group with
    /// <see cref="OperationCanceledException"/> instead.
    /// </remarks>
    public int TimeoutMilliseconds { get; set; }
}
