using System.Threading.Tasks;
using Flows;

namespace Samples.FileScoped;

[Workflow]
public partial class Counter
{
    private int _calls;

    [Step]
    public int Increment(int start) => start + ++_calls;
}

public static class FileScopedNamespaceUsage
{
    public static async Task<int> RunAsync() => await new Counter().RunAsync(start: 1);
}
