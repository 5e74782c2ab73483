using BenchmarkDotNet.Running;

namespace Flows.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // D1 is a Stopwatch runner on one Durable Task test host, not a BenchmarkDotNet class (see D1DurableOverhead).
        if (args.Length > 0 && args[0] == D1DurableOverhead.Command)
        {
            return await D1DurableOverhead.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == D1DurableOverhead.ReplayCommand)
        {
            return D1DurableOverhead.Replay(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
