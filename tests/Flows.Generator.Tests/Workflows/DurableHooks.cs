using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Flows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Samples.Durable.Observed;

public interface IAudit
{
    void Write(string line);
}

// All three hooks implemented: they run around each step inside its activity, on the worker.
[Workflow(Durable = true)]
public partial class AuditedOrder
{
    private readonly IAudit _audit;

    public AuditedOrder(IAudit audit) => _audit = audit;

    [Step]
    public static int[] Lines(int count)
    {
        var lines = new int[count];
        for (var i = 0; i < count; i++)
        {
            lines[i] = i + 1;
        }

        return lines;
    }

    [ParallelForEach(nameof(Lines), MaxDegreeOfParallelism = 2)]
    public Task<decimal> PriceLine(int line, CancellationToken cancellationToken) => Task.FromResult(line * 9.99m);

    [Step, Parallel("finish")]
    public void Reserve(int[] lines) => _audit.Write("reserve " + lines.Length);

    [Step, Parallel("finish")]
    public decimal Total(IReadOnlyList<decimal> priceLine, StepContext context)
    {
        var total = 0m;
        foreach (var price in priceLine)
        {
            total += price;
        }

        return total + context.Attempt - 1;
    }

    partial void OnStepStarting(in StepContext context) => _audit.Write("start " + context.Step + " #" + context.Index);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => _audit.Write("done " + context.Step + " in " + elapsed.TotalMilliseconds);

    partial void OnStepFailed(in StepContext context, Exception exception) => _audit.Write("failed " + context.Step + ": " + exception.Message);
}

public static class DurableHooksUsage
{
    public static void Register(DurableTaskRegistry registry) => AuditedOrder.Durable.Register(registry);

    public static Task<decimal> RunAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        AuditedOrder.Durable.RunAsync(client, count: 3, cancellationToken);
}
