using System.Diagnostics;
using Flows.Samples.Shared;

namespace Flows.Samples.Validation;

/// <summary>Validates a good order and a bad one with <see cref="OrderValidationWorkflow"/>.</summary>
internal static class ValidationSample
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var workflow = new OrderValidationWorkflow(new SimulatedCheckServices());

        var good = new Order(
            "A-1001", "ana@example.pt", new Address("Rua Augusta 12", "Lisboa", "1100-053", "PT"), "4539578763621486",
            [new OrderLine("KETTLE-1", 1), new OrderLine("MUG-2", 4)]);
        var bad = good with
        {
            Id = "A-1002",
            CustomerEmail = "ana.example.pt",
            ShipTo = new Address("Karl Johans gate 1", "Oslo", "0154", "NO"),
            Lines = [new OrderLine("MUG-2", 2), new OrderLine("TEAPOT-3", 1)],
        };

        foreach (var order in new[] { good, bad })
        {
            output.WriteLine($"Validating order {order.Id} (4 checks at once) ...");
            var stopwatch = Stopwatch.StartNew();
            try
            {
                var confirmation = await workflow.RunAsync(order, cancellationToken);
                output.WriteLine($"  {confirmation}");
            }
            catch (AggregateException failures)
            {
                // WaitAll: one exception per failed check, in declaration order, after every check finished.
                output.WriteLine($"  Order {order.Id} rejected, {failures.InnerExceptions.Count} problems:");
                foreach (var failure in failures.InnerExceptions)
                {
                    var problem = (ValidationException)failure;
                    output.WriteLine($"    - {problem.Field,-18} {problem.Problem}   ({problem.Check})");
                }
            }

            output.WriteLine($"  {Formatting.Milliseconds(stopwatch.Elapsed)}: as long as the slowest check, not the sum of them.");
            output.WriteLine();
        }

        output.WriteLine("With the default FailFast policy the first problem would cancel the other checks and be the only one reported.");
    }
}
