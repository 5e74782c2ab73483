using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Generics;

[Workflow]
public partial class Flow<T>
    where T : notnull
{
    private readonly IEqualityComparer<T> _comparer;

    public Flow(IEqualityComparer<T> comparer) => _comparer = comparer;

    [Step]
    public Task<T[]> Load(IEnumerable<T> items, CancellationToken cancellationToken) => Task.FromResult(new List<T>(items).ToArray());

    [Step, Parallel("stats")]
    public int Distinct(T[] load) => new HashSet<T>(load, _comparer).Count;

    [Step, Parallel("stats")]
    public ValueTask<T> First(T[] load) => new(load[0]);
}

public static class GenericWorkflowUsage
{
    public static async Task<int> RunAsync()
    {
        (int distinct, string first) = await new Flow<string>(System.StringComparer.Ordinal).RunAsync(new[] { "a", "a", "b" });
        return distinct + first.Length;
    }
}
