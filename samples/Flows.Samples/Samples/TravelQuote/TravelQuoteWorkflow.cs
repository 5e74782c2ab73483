using System.Collections.Concurrent;

namespace Flows.Samples.TravelQuote;

/// <summary>
/// Prices a trip: asks the flight, hotel and car-rental suppliers at the same time, then combines
/// their offers into one quote.
/// </summary>
/// <remarks>
/// The Flows generator writes <c>RunAsync(Trip trip, CancellationToken cancellationToken = default)</c>
/// into this class: <c>trip</c> is a workflow input because no step is called "Trip", and the result is
/// the output of <see cref="BuildQuote"/>, the only step of the last stage.
/// </remarks>
[Workflow(Durable = true)]
public sealed partial class TravelQuoteWorkflow
{
    private readonly ITravelSuppliers _suppliers;
    private readonly ConcurrentQueue<StepTiming> _timings = new();

    public TravelQuoteWorkflow(ITravelSuppliers suppliers) => _suppliers = suppliers;

    /// <summary>How long each step took, in the order the steps completed.</summary>
    public IReadOnlyCollection<StepTiming> Timings => _timings;

    // Stage 1: the three searches form the parallel group "suppliers" and run at the same time.
    // If one fails, the group's token cancels the other two (FailurePolicy.FailFast, the default).

    [Step, Parallel("suppliers")]
    public Task<FlightOffer> SearchFlightsAsync(Trip trip, CancellationToken cancellationToken) =>
        _suppliers.FindFlightAsync(trip, cancellationToken);

    [Step, Parallel("suppliers")]
    public Task<HotelOffer> SearchHotelsAsync(Trip trip, CancellationToken cancellationToken) =>
        _suppliers.FindHotelAsync(trip, cancellationToken);

    [Step, Parallel("suppliers")]
    public Task<CarOffer> SearchCarsAsync(Trip trip, CancellationToken cancellationToken) =>
        _suppliers.FindCarAsync(trip, cancellationToken);

    // Stage 2: runs once the whole group has completed. Each parameter is bound by name to a step's
    // output (the method name without "Async", ignoring case); "trip" is the workflow input again.

    [Step]
    public static TravelQuote BuildQuote(Trip trip, FlightOffer searchFlights, HotelOffer searchHotels, CarOffer searchCars)
    {
        var flights = searchFlights.PricePerTraveller * trip.Travellers;
        var hotel = searchHotels.PricePerNight * trip.Nights;
        var car = searchCars.PricePerDay * trip.Nights;
        return new TravelQuote(trip, searchFlights, searchHotels, searchCars, flights + hotel + car);
    }

    // A hook the generated code calls after every step, with the time the step took. Steps of one group
    // complete on different threads, hence the concurrent queue.
    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) =>
        _timings.Enqueue(new StepTiming(context.Step, elapsed));
}

/// <summary>How long one step took, as reported to <c>OnStepCompleted</c>.</summary>
public readonly record struct StepTiming(string Step, TimeSpan Elapsed);
