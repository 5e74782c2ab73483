using System.Diagnostics;
using System.Globalization;

namespace Flows.Samples.TravelQuote;

/// <summary>
/// Runs <see cref="TravelQuoteWorkflow"/> once, shows the quote and the timings, and writes the run's
/// <see cref="ExecutionTimeline"/> as a Mermaid gantt chart to <see cref="TimelineFileName"/>.
/// </summary>
internal static class TravelQuoteSample
{
    /// <summary>Where the timeline goes, relative to the current directory (artifacts/ is ignored by git).</summary>
    public static readonly string TimelineFileName = Path.Combine("artifacts", "travel-quote-timeline.md");

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var trip = new Trip("Oslo", "Lisbon", new DateOnly(2026, 5, 12), new DateOnly(2026, 5, 19), Travellers: 2);
        var workflow = new TravelQuoteWorkflow(new SimulatedSuppliers());

        output.WriteLine($"Pricing a trip {trip.From} -> {trip.To}, {Date(trip.Departure)} to {Date(trip.Return)}, {trip.Travellers} travellers ...");
        output.WriteLine();

        // The timeline records when each step started and ended; RunAsync without it records nothing.
        var timeline = new ExecutionTimeline();
        var stopwatch = Stopwatch.StartNew();
        var quote = await workflow.RunAsync(trip, timeline, cancellationToken);
        var wallTime = stopwatch.Elapsed;

        PrintQuote(output, quote);
        PrintTimings(output, workflow.Timings, wallTime);

        var path = Path.GetFullPath(TimelineFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        timeline.WriteMermaidMarkdown(path);
        output.WriteLine();
        output.WriteLine($"Timeline of this run, a Mermaid gantt chart (open it in a Markdown preview with Mermaid, on GitHub, or paste it into https://mermaid.live):");
        output.WriteLine($"  {path}");
    }

    private static void PrintQuote(TextWriter output, TravelQuote quote)
    {
        var trip = quote.Trip;
        output.WriteLine("Quote");
        Line($"Flights  {quote.Flight.Airline}", $"{trip.Travellers} x {Money(quote.Flight.PricePerTraveller)}", quote.Flight.PricePerTraveller * trip.Travellers);
        Line($"Hotel    {quote.Hotel.Hotel}", $"{trip.Nights} nights x {Money(quote.Hotel.PricePerNight)}", quote.Hotel.PricePerNight * trip.Nights);
        Line($"Car      {quote.Car.Company}, {quote.Car.Model}", $"{trip.Nights} days x {Money(quote.Car.PricePerDay)}", quote.Car.PricePerDay * trip.Nights);
        output.WriteLine($"  {new string('-', 72)}");
        Line("Total", string.Empty, quote.Total);
        output.WriteLine();

        void Line(string what, string how, decimal amount) =>
            output.WriteLine($"  {what,-36}{how,22}{Money(amount),14}");
    }

    private static void PrintTimings(TextWriter output, IReadOnlyCollection<StepTiming> timings, TimeSpan wallTime)
    {
        output.WriteLine("Step times, as reported to OnStepCompleted (in completion order)");
        foreach (var timing in timings)
        {
            output.WriteLine($"  {timing.Step,-24}{Milliseconds(timing.Elapsed),10}");
        }

        var sum = TimeSpan.FromTicks(timings.Sum(timing => timing.Elapsed.Ticks));
        var slowest = timings.Max(timing => timing.Elapsed);
        output.WriteLine($"  {new string('-', 34)}");
        output.WriteLine($"  {"Sum of the steps",-24}{Milliseconds(sum),10}   what running them one after another would take");
        output.WriteLine($"  {"Wall time of RunAsync",-24}{Milliseconds(wallTime),10}   close to the slowest step ({Milliseconds(slowest)}): the searches overlapped");
    }

    private static string Date(DateOnly date) => date.ToString("d MMM yyyy", Invariant);

    private static string Money(decimal amount) => "EUR " + amount.ToString("#,##0.00", Invariant);

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0", Invariant) + " ms";
}
