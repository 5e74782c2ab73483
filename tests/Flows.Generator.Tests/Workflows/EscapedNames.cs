using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Escaping;

// Keywords as names, and inputs that take the names the generated code would like to use.
[Workflow]
public partial class Keywords
{
    [Step]
    public int @event(int @class, string control) => @class + control.Length;

    [Step]
    public Task<string> @default(int @event, string cancellationToken, CancellationToken token) =>
        Task.FromResult(cancellationToken + @event);
}

public static class EscapedNamesUsage
{
    public static async Task<string> RunAsync() =>
        await new Keywords().RunAsync(@class: 1, control: "c", cancellationToken: "t", runCancellationToken: CancellationToken.None);
}
