using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Resilience;

[Workflow(TimeoutMilliseconds = 30_000)]
public partial class Download
{
    [Step, Retry(5, DelayMilliseconds = 100, Backoff = Backoff.Exponential, Jitter = true, RetryOn = new[] { typeof(IOException), typeof(TimeoutException) })]
    [Timeout(2_000)]
    public Task<byte[]> Fetch(Uri address, StepContext context, CancellationToken cancellationToken) => Task.FromResult(new byte[context.Attempt]);

    [Step, Retry(2)]
    public int Parse(byte[] fetch) => fetch.Length;

    [Step, Timeout(500)]
    public ValueTask Store(int parse, CancellationToken cancellationToken) => default;
}

public static class RetryAndTimeoutUsage
{
    public static async Task RunAsync() => await new Download().RunAsync(new Uri("https://example.com"));
}
