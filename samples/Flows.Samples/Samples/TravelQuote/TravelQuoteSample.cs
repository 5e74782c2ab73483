using System.Diagnostics;
using System.Globalization;

namespace Flows.Samples.TravelQuote;

/// <summary>Runs <see cref="TravelQuoteWorkflow"/> once and shows the quote, the timings and the graph.</summary>
internal static class TravelQuoteSample
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        var trip = new Trip("Oslo", "Lisbon", new DateOnly(2026, 5, 12), new DateOnly(2026, 5, 19), Travellers: 2);
        var workflow = new TravelQuoteWorkflow(new SimulatedSuppliers());

        Console.WriteLine($"Pricing a trip {trip.From} -> {trip.To}, {Date(trip.Departure)} to {Date(trip.Return)}, {trip.Travellers} travellers ...");
        Console.WriteLine();

        var stopwatch = Stopwatch.StartNew();
        var quote = await workflow.RunAsync(trip, cancellationToken);
        var wallTime = stopwatch.Elapsed;

        PrintQuote(quote);
        PrintTimings(workflow.Timings, wallTime);

        Console.WriteLine("Workflow graph (TravelQuoteWorkflow.MermaidDiagram; paste it into https://mermaid.live):");
        Console.WriteLine();
        Console.Write(TravelQuoteWorkflow.MermaidDiagram);
    }

    private static void PrintQuote(TravelQuote quote)
    {
        var trip = quote.Trip;
        Console.WriteLine("Quote");
        Line($"Flights  {quote.Flight.Airline}", $"{trip.Travellers} x {Money(quote.Flight.PricePerTraveller)}", quote.Flight.PricePerTraveller * trip.Travellers);
        Line($"Hotel    {quote.Hotel.Hotel}", $"{trip.Nights} nights x {Money(quote.Hotel.PricePerNight)}", quote.Hotel.PricePerNight * trip.Nights);
        Line($"Car      {quote.Car.Company}, {quote.Car.Model}", $"{trip.Nights} days x {Money(quote.Car.PricePerDay)}", quote.Car.PricePerDay * trip.Nights);
        Console.WriteLine($"  {new string('-', 72)}");
        Line("Total", string.Empty, quote.Total);
        Console.WriteLine();

        static void Line(string what, string how, decimal amount) =>
            Console.WriteLine($"  {what,-36}{how,22}{Money(amount),14}");
    }

    private static void PrintTimings(IReadOnlyCollection<StepTiming> timings, TimeSpan wallTime)
    {
        Console.WriteLine("Step times, as reported to OnStepCompleted (in completion order)");
        foreach (var timing in timings)
        {
            Console.WriteLine($"  {timing.Step,-24}{Milliseconds(timing.Elapsed),10}");
        }

        var sum = TimeSpan.FromTicks(timings.Sum(timing => timing.Elapsed.Ticks));
        var slowest = timings.Max(timing => timing.Elapsed);
        Console.WriteLine($"  {new string('-', 34)}");
        Console.WriteLine($"  {"Sum of the steps",-24}{Milliseconds(sum),10}   what running them one after another would take");
        Console.WriteLine($"  {"Wall time of RunAsync",-24}{Milliseconds(wallTime),10}   close to the slowest step ({Milliseconds(slowest)}): the searches overlapped");
        Console.WriteLine();
    }

    private static string Date(DateOnly date) => date.ToString("d MMM yyyy", Invariant);

    private static string Money(decimal amount) => "EUR " + amount.ToString("#,##0.00", Invariant);

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0", Invariant) + " ms";
}
