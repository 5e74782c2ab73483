using System.Threading;
using System.Threading.Tasks;
using Flows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Samples.Durable.Travel;

public sealed record Trip(string Destination, int Nights);

public sealed record Offer(string Supplier, decimal Price);

public sealed record Quote(Trip Trip, decimal Total);

public interface IPriceService
{
    Task<decimal> PriceAsync(string supplier, Trip trip, CancellationToken cancellationToken);
}

// Three suppliers asked at once (the first failure fails the run), then one step that builds the quote. Each activity
// creates the workflow from the worker's services, so the constructor's service comes from the container.
[Workflow(Durable = true)]
public partial class TravelQuote
{
    private readonly IPriceService _prices;

    public TravelQuote(IPriceService prices) => _prices = prices;

    [Step, Parallel("suppliers", Failure = FailurePolicy.FailFast)]
    public async Task<Offer> FlightAsync(Trip trip, CancellationToken cancellationToken) =>
        new("flight", await _prices.PriceAsync("flight", trip, cancellationToken));

    [Step, Parallel("suppliers")]
    public async Task<Offer> HotelAsync(Trip trip, CancellationToken cancellationToken) =>
        new("hotel", await _prices.PriceAsync("hotel", trip, cancellationToken));

    [Step, Parallel("suppliers")]
    public async ValueTask<Offer> CarAsync(Trip trip, CancellationToken cancellationToken) =>
        new("car", await _prices.PriceAsync("car", trip, cancellationToken));

    [Step]
    public Quote Build(Trip trip, Offer flight, Offer hotel, Offer car) => new(trip, flight.Price + hotel.Price + car.Price);
}

public static class DurableTravelQuoteUsage
{
    public static void Register(DurableTaskRegistry registry) => TravelQuote.Durable.Register(registry);

    public static async Task<decimal> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var trip = new Trip("Lisbon", 3);
        var quote = await TravelQuote.Durable.RunAsync(client, trip, cancellationToken);
        var instanceId = await TravelQuote.Durable.ScheduleAsync(client, trip, instanceId: "quote-1", cancellationToken: cancellationToken);
        var again = await TravelQuote.Durable.WaitForResultAsync(client, instanceId, cancellationToken);
        return quote.Total + again.Total + TravelQuote.Durable.OrchestrationName.Length;
    }
}
