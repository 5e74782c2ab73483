// Flows samples. Run one by name:
//
//     dotnet run --project samples/Flows.Samples                  (the default sample)
//     dotnet run --project samples/Flows.Samples -- travel-quote
//     dotnet run --project samples/Flows.Samples -- --list
//
// Each sample lives in its own folder under Samples/ and is registered in SampleCatalog.

using Flows.Samples;

if (args is ["--list" or "list" or "-h" or "--help", ..])
{
    SampleCatalog.PrintList(Console.Out);
    return 0;
}

var name = args.Length > 0 ? args[0] : SampleCatalog.Default.Name;
var sample = SampleCatalog.Find(name);
if (sample is null)
{
    Console.Error.WriteLine($"There is no sample named '{name}'.");
    SampleCatalog.PrintList(Console.Error);
    return 1;
}

// Ctrl+C cancels the run: the token reaches every step, and no step starts afterwards.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    await sample.RunAsync(cancellation.Token);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
