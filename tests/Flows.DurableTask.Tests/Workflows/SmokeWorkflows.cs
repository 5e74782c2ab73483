namespace Flows.DurableTask.Tests.Workflows;

public sealed record Trip(string Destination, int Nights);

public sealed record Offer(string Kind, decimal Price);

public sealed record Quote(Trip Trip, decimal Total, int Offers);

public interface IPrices
{
    decimal PriceOf(string kind, Trip trip);
}

public sealed class FixedPrices : IPrices
{
    public decimal PriceOf(string kind, Trip trip) => kind.Length * 10m + trip.Nights;
}

[Workflow(Durable = true)]
public partial class QuoteWorkflow(IPrices prices)
{
    [Step, Parallel("suppliers")]
    public async Task<Offer> FlightAsync(Trip trip, CancellationToken ct)
    {
        await Task.Delay(20, ct);
        return new Offer("flight", prices.PriceOf("flight", trip));
    }

    [Step, Parallel("suppliers")]
    public Offer Hotel(Trip trip) => new("hotel", prices.PriceOf("hotel", trip));

    [Step]
    public IReadOnlyList<int> Nights(Trip trip) => Enumerable.Range(1, trip.Nights).ToArray();

    [ParallelForEach(nameof(Nights), MaxDegreeOfParallelism = 2), Retry(2)]
    public Task<decimal> PerNight(int night, StepContext context) => Task.FromResult(night + (decimal)context.Count);

    [Step]
    public Quote Build(Trip trip, Offer flight, Offer hotel, IReadOnlyList<decimal> perNight) =>
        new(trip, flight.Price + hotel.Price + perNight.Sum(), 2 + perNight.Count);
}
