// Runs the two workflows and checks their results, so a published native binary proves that the generated
// code and the Flows runtime work after trimming and ahead-of-time compilation. Exit code 0 when all is well.

using System.Diagnostics;
using System.Runtime.InteropServices;
using Flows;
using Flows.AotSample;

var stopwatch = Stopwatch.StartNew();
var failures = new List<string>();

var sync = new InventorySync();
var control = new FlowControl();
var report = await sync.RunAsync("LIS", control);
Console.WriteLine($"InventorySync: {report}");
Check(report.Warehouses == 8, "8 warehouses loaded");
Check(report.Retried == 3, "3 warehouses needed a second attempt");
Check(report.Skipped == 1, "1 warehouse below the threshold skipped");
Check(report.Units == 4_200, "4,200 units counted in the others");
Check(report.Price == new Price("service", 4.20m), "the price came from the service");
Check(report.Audited, "the audit succeeded and the notification's failure was an outcome");
Check(report.Streamed == 720, "the streamed foreach doubled every warehouse's shelves");
Check(sync.StepsCompleted > 0, "OnStepCompleted ran");

var total = await new QuoteGraph().RunAsync(quantity: 12);
Console.WriteLine($"QuoteGraph: total {total}");
Check(total == 1_200 - 15 + 240, "the dataflow diamond joined both branches");

using (var cancellation = new CancellationTokenSource())
{
    cancellation.Cancel();
    try
    {
        await new QuoteGraph().RunAsync(quantity: 1, cancellation.Token);
        Check(false, "a cancelled run throws");
    }
    catch (OperationCanceledException)
    {
        Check(true, "a cancelled run throws OperationCanceledException");
    }
}

Check(InventorySync.MermaidDiagram.StartsWith("flowchart", StringComparison.Ordinal), "the Mermaid diagram is there");
Console.WriteLine($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.RuntimeIdentifier}: {stopwatch.ElapsedMilliseconds} ms");

if (failures.Count > 0)
{
    Console.Error.WriteLine("FAILED: " + string.Join("; ", failures));
    return 1;
}

Console.WriteLine("All checks passed.");
return 0;

void Check(bool condition, string what)
{
    if (!condition)
    {
        failures.Add(what);
    }
}
