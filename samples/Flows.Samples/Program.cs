// Flows samples. Run one by name:
//
//     dotnet run --project samples/Flows.Samples                  (lists the samples, runs the default)
//     dotnet run --project samples/Flows.Samples -- fallback
//     dotnet run --project samples/Flows.Samples -- dataflow --diagram   (also prints the Mermaid diagram)
//     dotnet run --project samples/Flows.Samples -- all
//     dotnet run --project samples/Flows.Samples -- --list
//
// Each sample lives in its own folder under Samples/ and is registered in SampleCatalog.

using Flows.Samples;

var options = args.Where(arg => arg.StartsWith('-')).ToList();
var names = args.Where(arg => !arg.StartsWith('-')).ToList();

if (options.Any(option => option is "--list" or "-h" or "--help") || names is ["list"])
{
    SampleCatalog.PrintList(Console.Out);
    return 0;
}

var unknownOption = options.FirstOrDefault(option => option != "--diagram");
if (unknownOption is not null || names.Count > 1)
{
    Console.Error.WriteLine(unknownOption is null ? "Give one sample name at most." : $"Unknown option '{unknownOption}'.");
    Console.Error.WriteLine("Usage: Flows.Samples [<sample> | all] [--diagram] | --list");
    return 1;
}

IReadOnlyList<Sample> samples;
var printDiagram = options.Contains("--diagram");
if (names.Count == 0)
{
    // No name: say what there is, then run the default sample with its diagram.
    SampleCatalog.PrintList(Console.Out);
    Console.WriteLine();
    Console.WriteLine($"Running '{SampleCatalog.Default.Name}'. Run another with: dotnet run --project samples/Flows.Samples -- <sample>");
    Console.WriteLine();
    samples = [SampleCatalog.Default];
    printDiagram = true;
}
else if (string.Equals(names[0], "all", StringComparison.OrdinalIgnoreCase))
{
    samples = SampleCatalog.All;
}
else if (SampleCatalog.Find(names[0]) is { } sample)
{
    samples = [sample];
}
else
{
    Console.Error.WriteLine($"There is no sample named '{names[0]}'.");
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
    foreach (var sample in samples)
    {
        if (samples.Count > 1)
        {
            Console.WriteLine($"=== {sample.Name}: {sample.Description}");
            Console.WriteLine();
        }

        await sample.RunAsync(Console.Out, cancellation.Token);

        if (printDiagram)
        {
            Console.WriteLine();
            Console.WriteLine($"Workflow graph ({sample.DiagramSource}.MermaidDiagram; paste it into https://mermaid.live):");
            Console.WriteLine();
            Console.Write(sample.MermaidDiagram);
        }

        Console.WriteLine();
    }

    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
