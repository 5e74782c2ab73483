using System.Collections.Concurrent;
using Flows.Samples.Shared;

namespace Flows.Samples.Fallback;

/// <summary>
/// Converts an amount with a rate from whichever source answers first. The three sources race in a
/// <see cref="FailurePolicy.FirstSuccess"/> group: a failing source does not stop the race, the first
/// success wins, and the sources still running are cancelled (and waited for) before the next stage.
/// </summary>
/// <remarks>Generated: <c>RunAsync(string from, string to, decimal amount, CancellationToken)</c>.</remarks>
[Workflow(Durable = true)]
public sealed partial class ExchangeRateWorkflow
{
    private readonly IRateSource _primary;
    private readonly IRateSource _mirror;
    private readonly IRateSource _archive;

    public ExchangeRateWorkflow(IRateSource primary, IRateSource mirror, IRateSource archive) =>
        (_primary, _mirror, _archive) = (primary, mirror, archive);

    /// <summary>When each source was asked and when it answered, failed or was cancelled.</summary>
    public StepTimeline Timeline { get; } = new();

    /// <summary>The sources that failed or were cancelled, with their exception.</summary>
    public ConcurrentQueue<(string Step, Exception Error)> Failures { get; } = new();

    // The group's one output is named after the group: "rate".
    [Step, Parallel("rate", Failure = FailurePolicy.FirstSuccess, TimeoutMilliseconds = 2_000)]
    public Task<ExchangeRate> FromPrimaryAsync(string from, string to, CancellationToken cancellationToken) =>
        _primary.GetRateAsync(from, to, cancellationToken);

    [Step, Parallel("rate")]
    public Task<ExchangeRate> FromMirrorAsync(string from, string to, CancellationToken cancellationToken) =>
        _mirror.GetRateAsync(from, to, cancellationToken);

    [Step, Parallel("rate")]
    public Task<ExchangeRate> FromArchiveAsync(string from, string to, CancellationToken cancellationToken) =>
        _archive.GetRateAsync(from, to, cancellationToken);

    [Step]
    public static Conversion Convert(decimal amount, ExchangeRate rate) =>
        new(amount, decimal.Round(amount * rate.Rate, 2), rate);

    partial void OnStepStarting(in StepContext context) => Timeline.Started(context);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Timeline.Ended(context);

    partial void OnStepFailed(in StepContext context, Exception exception)
    {
        Timeline.Ended(context);
        Failures.Enqueue((context.Step, exception));
    }
}

/// <summary>An amount converted with one source's rate.</summary>
public sealed record Conversion(decimal Amount, decimal Converted, ExchangeRate Rate);
