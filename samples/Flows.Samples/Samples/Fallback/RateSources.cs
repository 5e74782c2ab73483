namespace Flows.Samples.Fallback;

/// <summary>An exchange rate and where it came from.</summary>
public sealed record ExchangeRate(string From, string To, decimal Rate, string Source);

/// <summary>One place to ask for a rate: a pricing API, its mirror, an archive.</summary>
public interface IRateSource
{
    string Name { get; }

    Task<ExchangeRate> GetRateAsync(string from, string to, CancellationToken cancellationToken);
}

/// <summary>A source that answers, or fails, after a fixed delay; the delay honours the token.</summary>
public sealed class SimulatedRateSource(string name, int latencyMilliseconds, decimal? rate) : IRateSource
{
    public string Name { get; } = name;

    public async Task<ExchangeRate> GetRateAsync(string from, string to, CancellationToken cancellationToken)
    {
        await Task.Delay(latencyMilliseconds, cancellationToken).ConfigureAwait(false);
        return rate is { } value
            ? new ExchangeRate(from, to, value, Name)
            : throw new HttpRequestException($"{Name}: 502 Bad Gateway");
    }
}
