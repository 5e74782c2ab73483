namespace Flows.Samples.MultiModel;

public enum Sentiment
{
    Negative,
    Mixed,
    Positive,
}

/// <summary>One model's reading of a text.</summary>
public sealed record ModelVerdict(string Model, Sentiment Sentiment, double Confidence, TimeSpan Latency);

/// <summary>A language-model endpoint. In a real application, an HTTP client per provider.</summary>
public interface IModelClient
{
    Task<ModelVerdict> ClassifyAsync(string model, string text, CancellationToken cancellationToken);
}

/// <summary>
/// Models with fixed latencies and answers, two of which misbehave: one is overloaded and answers 503,
/// one takes far longer than the workflow's per-model timeout. Delays honour the token.
/// </summary>
public sealed class SimulatedModels : IModelClient
{
    private sealed record Behaviour(string Model, int LatencyMilliseconds, Sentiment Sentiment, double Confidence, string? Failure = null);

    private static readonly Behaviour[] Models =
    [
        new("atlas-large", 420, Sentiment.Positive, 0.91),
        new("borealis-7b", 180, Sentiment.Positive, 0.78),
        new("cirrus-mini", 90, Sentiment.Mixed, 0.55),
        new("delta-chat", 120, Sentiment.Positive, 0.0, Failure: "503 Service Unavailable: model overloaded, retry later"),
        new("ember-xl", 5_000, Sentiment.Positive, 0.0),      // far slower than the workflow's timeout
        new("fjord-3", 260, Sentiment.Positive, 0.84),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. Models.Select(model => model.Model)];

    public async Task<ModelVerdict> ClassifyAsync(string model, string text, CancellationToken cancellationToken)
    {
        var behaviour = Models.Single(candidate => candidate.Model == model);
        await Task.Delay(behaviour.LatencyMilliseconds, cancellationToken).ConfigureAwait(false);
        return behaviour.Failure is null
            ? new ModelVerdict(model, behaviour.Sentiment, behaviour.Confidence, TimeSpan.FromMilliseconds(behaviour.LatencyMilliseconds))
            : throw new HttpRequestException(behaviour.Failure);
    }
}
