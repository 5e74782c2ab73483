using Flows.Samples.Shared;

namespace Flows.Samples.MultiModel;

/// <summary>The models' combined reading, and which models were skipped and why.</summary>
public sealed record Consensus(
    Sentiment Sentiment,
    double MeanConfidence,
    IReadOnlyList<ModelVerdict> Answers,
    IReadOnlyList<SkippedModel> Skipped);

/// <summary>A model whose answer did not count, and why (the exception's type name and message).</summary>
public sealed record SkippedModel(string Model, string Reason);

/// <summary>
/// Asks a list of models to classify one text, three at a time, and combines the answers. A model that
/// fails or is too slow is skipped rather than failing the run; at least half must answer.
/// </summary>
/// <remarks>
/// Generated: <c>RunAsync(IReadOnlyList&lt;string&gt; models, string text, CancellationToken)</c>. The foreach
/// source "models" is a workflow input; <see cref="Combine"/> declares it too, to pair each outcome with
/// its model.
/// </remarks>
[Workflow(Durable = true)]
public sealed partial class ReviewAnalysisWorkflow
{
    private readonly IModelClient _client;

    public ReviewAnalysisWorkflow(IModelClient client) => _client = client;

    /// <summary>When each model call started and ended, failed ones included.</summary>
    public StepTimeline Timeline { get; } = new();

    // One call per model, at most 3 at a time. [Timeout] applies to each model on its own; a failure or a
    // timeout becomes a failed Outcome in the list instead of cancelling the other calls.
    [ParallelForEach("models", MaxDegreeOfParallelism = 3, ContinueOnError = true, MinSuccessRate = 0.5)]
    [Timeout(1_500)]
    public Task<ModelVerdict> ClassifyAsync(string model, string text, CancellationToken cancellationToken) =>
        _client.ClassifyAsync(model, text, cancellationToken);

    // The outcomes are in the order of "models", whatever order the calls finished in.
    [Step]
    public static Consensus Combine(IReadOnlyList<string> models, IReadOnlyList<Outcome<ModelVerdict>> classify)
    {
        var answers = new List<ModelVerdict>();
        var skipped = new List<SkippedModel>();
        for (var i = 0; i < classify.Count; i++)
        {
            if (classify[i].TryGetValue(out var verdict))
            {
                answers.Add(verdict);
            }
            else
            {
                var error = classify[i].Exception!;
                skipped.Add(new SkippedModel(models[i], $"{error.GetType().Name}: {error.Message}"));
            }
        }

        // Confidence-weighted vote among the models that answered.
        var winner = answers
            .GroupBy(answer => answer.Sentiment)
            .OrderByDescending(group => group.Sum(answer => answer.Confidence))
            .First();
        return new Consensus(winner.Key, winner.Average(answer => answer.Confidence), answers, skipped);
    }

    // Hooks run once per item (per model), on the item's thread.
    partial void OnStepStarting(in StepContext context) => Timeline.Started(context);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Timeline.Ended(context);

    partial void OnStepFailed(in StepContext context, Exception exception) => Timeline.Ended(context);
}
