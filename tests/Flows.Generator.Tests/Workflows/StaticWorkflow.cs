using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Statics;

[Workflow]
public static partial class Conversions
{
    [Step]
    public static double Celsius(double fahrenheit) => (fahrenheit - 32) * 5 / 9;

    [Step, Parallel("both")]
    public static Task<double> Kelvin(double celsius, CancellationToken cancellationToken) => Task.FromResult(celsius + 273.15);

    [Step, Parallel("both")]
    public static double Rankine(double fahrenheit) => fahrenheit + 459.67;
}

public static class StaticWorkflowUsage
{
    public static async Task<double> RunAsync()
    {
        var (kelvin, rankine) = await Conversions.RunAsync(fahrenheit: 212);
        return kelvin + rankine + Conversions.MermaidDiagram.Length;
    }
}
