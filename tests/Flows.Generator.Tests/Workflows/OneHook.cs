using System;
using System.Threading.Tasks;
using Flows;

namespace Samples.Observed;

// Only the completion hook: the start timestamp is taken, no failure handler is written.
[Workflow]
public partial class Timed
{
    public TimeSpan Total { get; private set; }

    [Step]
    public int Compute(int value) => value * 2;

    [Step]
    public async Task Store(int compute) => await Task.Yield();

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Total += elapsed;
}

public static class OneHookUsage
{
    public static async Task RunAsync() => await new Timed().RunAsync(1);
}
