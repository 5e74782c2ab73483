namespace Flows;

/// <summary>How a workflow orders its steps.</summary>
public enum Scheduling
{
    /// <summary>
    /// Steps run in declaration order, in stages; a parallel group is one stage placed at its first member.
    /// A stage starts when the previous one has completed.
    /// </summary>
    Sequential = 0,

    /// <summary>
    /// Each step starts as soon as every step it consumes (and every <see cref="AfterAttribute"/> step) has completed.
    /// </summary>
    Dataflow = 1,
}

/// <summary>What a failing member does to its parallel group.</summary>
public enum FailurePolicy
{
    /// <summary>
    /// The first failure cancels the other members; when every member has stopped, that failure is rethrown
    /// with its original type and stack.
    /// </summary>
    FailFast = 0,

    /// <summary>Every member runs to its end; then all failures are thrown together as an <see cref="AggregateException"/>.</summary>
    WaitAll = 1,

    /// <summary>Failures become failed <see cref="Outcome{T}"/> values; the run goes on.</summary>
    ContinueOnError = 2,

    /// <summary>
    /// The first member to succeed gives the group's output and cancels the others; when all fail, an
    /// <see cref="AggregateException"/> of every failure.
    /// </summary>
    FirstSuccess = 3,
}

/// <summary>How the delay between retries grows.</summary>
public enum Backoff
{
    /// <summary>Every delay is <see cref="RetryAttribute.DelayMilliseconds"/>.</summary>
    Constant = 0,

    /// <summary>The n-th delay is n × <see cref="RetryAttribute.DelayMilliseconds"/>.</summary>
    Linear = 1,

    /// <summary>The n-th delay is 2^(n-1) × <see cref="RetryAttribute.DelayMilliseconds"/>.</summary>
    Exponential = 2,
}
