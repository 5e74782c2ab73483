using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Observed;

// All three hooks implemented: every step runs through a wrapper that calls them.
[Workflow]
public partial class Observed
{
    private readonly ConcurrentQueue<string> _log = new();

    [Step]
    public int Start(int value) => value;

    [Step, Parallel("work")]
    public Task<int> Square(int start, CancellationToken cancellationToken) => Task.FromResult(start * start);

    [Step, Parallel("work")]
    public void Touch(int start) => _log.Enqueue("touch " + start);

    [Step, Parallel("work")]
    public ValueTask Wait() => default;

    [Step]
    public string End(int square) => square.ToString(System.Globalization.CultureInfo.InvariantCulture);

    partial void OnStepStarting(in StepContext context) => _log.Enqueue("start " + context.Step);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => _log.Enqueue("done " + context.Step);

    partial void OnStepFailed(in StepContext context, Exception exception) => _log.Enqueue("failed " + context.Step + ": " + exception.Message);
}

public static class HooksUsage
{
    public static async Task<string> RunAsync() => await new Observed().RunAsync(3);
}
