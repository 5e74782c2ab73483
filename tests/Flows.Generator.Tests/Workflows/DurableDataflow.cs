using System.Threading;
using System.Threading.Tasks;
using Flows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Samples.Durable.Graph;

// A diamond: Words and Links both start as soon as Fetch has completed, Report once both have.
[Workflow(Durable = true, Scheduling = Scheduling.Dataflow)]
public partial class PageReport
{
    [Step, Retry(2, DelayMilliseconds = 100)]
    public Task<string> Fetch(string url, CancellationToken cancellationToken) => Task.FromResult("<html>" + url + "</html>");

    [Step]
    public int Words(string fetch) => fetch.Split(' ').Length;

    [Step]
    public async Task<int> Links(string fetch)
    {
        await Task.Yield();
        return fetch.Length / 10;
    }

    [Step]
    public string Report(int words, int links) => words + " words, " + links + " links";
}

public static class DurableDataflowUsage
{
    public static void Register(DurableTaskRegistry registry) => PageReport.Durable.Register(registry);

    public static Task<string> RunAsync(DurableTaskClient client) => PageReport.Durable.RunAsync(client, "https://example.com");
}
