namespace Flows.Samples.TravelQuote;

public sealed record Trip(string From, string To, DateOnly Departure, DateOnly Return, int Travellers)
{
    public int Nights => Return.DayNumber - Departure.DayNumber;
}

public sealed record FlightOffer(string Airline, decimal PricePerTraveller);

public sealed record HotelOffer(string Hotel, decimal PricePerNight);

public sealed record CarOffer(string Company, string Model, decimal PricePerDay);

public sealed record TravelQuote(Trip Trip, FlightOffer Flight, HotelOffer Hotel, CarOffer Car, decimal Total);

/// <summary>The remote services a quote needs. In a real application each would be an HTTP client.</summary>
public interface ITravelSuppliers
{
    Task<FlightOffer> FindFlightAsync(Trip trip, CancellationToken cancellationToken);

    Task<HotelOffer> FindHotelAsync(Trip trip, CancellationToken cancellationToken);

    Task<CarOffer> FindCarAsync(Trip trip, CancellationToken cancellationToken);
}

/// <summary>
/// Suppliers that answer after a fixed delay, as slow remote services would. The delays honour the
/// token, so a cancelled run stops waiting at once.
/// </summary>
public sealed class SimulatedSuppliers : ITravelSuppliers
{
    public static readonly TimeSpan FlightLatency = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan HotelLatency = TimeSpan.FromMilliseconds(450);
    public static readonly TimeSpan CarLatency = TimeSpan.FromMilliseconds(200);

    public async Task<FlightOffer> FindFlightAsync(Trip trip, CancellationToken cancellationToken)
    {
        await Task.Delay(FlightLatency, cancellationToken).ConfigureAwait(false);
        return new FlightOffer("Fjord Air", 189.00m);
    }

    public async Task<HotelOffer> FindHotelAsync(Trip trip, CancellationToken cancellationToken)
    {
        await Task.Delay(HotelLatency, cancellationToken).ConfigureAwait(false);
        return new HotelOffer($"Casa do Rio, {trip.To}", 112.50m);
    }

    public async Task<CarOffer> FindCarAsync(Trip trip, CancellationToken cancellationToken)
    {
        await Task.Delay(CarLatency, cancellationToken).ConfigureAwait(false);
        return new CarOffer("Atlantic Rentals", "compact", 41.90m);
    }
}
