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
    private static readonly Dictionary<string, (int LatencyMilliseconds, Sentiment Sentiment, double Confidence)> Behaviour = new()
    {
        ["atlas-large"] = (420, Sentiment.Positive, 0.91),
        ["borealis-7b"] = (180, Sentiment.Positive, 0.78),
        ["cirrus-mini"] = (90, Sentiment.Mixed, 0.55),
        ["delta-chat"] = (120, Sentiment.Positive, 0.0),      // overloaded: fails after 120 ms
        ["ember-xl"] = (5_000, Sentiment.Positive, 0.0),      // far slower than the timeout
        ["fjord-3"] = (260, Sentiment.Positive, 0.84),
    };

    public static IReadOnlyList<string> Names { get; } = [.. Behaviour.Keys];

    public async Task<ModelVerdict> ClassifyAsync(string model, string text, CancellationToken cancellationToken)
    {
        var (latency, sentiment, confidence) = Behaviour[model];
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        if (model == "delta-chat")
        {
            throw new HttpRequestException("503 Service Unavailable: model overloaded, retry later");
        }

        return new ModelVerdict(model, sentiment, confidence, TimeSpan.FromMilliseconds(latency));
    }
}
