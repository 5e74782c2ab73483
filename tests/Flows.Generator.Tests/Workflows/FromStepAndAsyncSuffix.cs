using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Binding;

[Workflow]
public partial class Report
{
    // Output name "Fetch": consumers write "fetch".
    [Step]
    public Task<IReadOnlyList<string>> FetchAsync(string query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(new[] { query, query });

    // Output name "Count".
    [Step]
    public ValueTask<int> CountAsync(IReadOnlyList<string> fetch) => new(fetch.Count);

    // Bound explicitly, by method name and by output name, whatever the parameter is called; the second
    // takes the output through an implicit reference conversion.
    [Step]
    public string Render([FromStep(nameof(FetchAsync))] IReadOnlyList<string> rows, [FromStep("Count")] int total, [FromStep(nameof(FetchAsync))] IEnumerable<string> again) =>
        string.Join(",", rows) + "/" + total + "/" + string.Join(",", again);
}

public static class FromStepAndAsyncSuffixUsage
{
    public static async Task<string> RunAsync() => await new Report().RunAsync("q");
}
