using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Nesting;

public partial class Outer
{
    internal static partial class Middle
    {
        [Workflow]
        public partial class Inner
        {
            [Step]
            public int Parse(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

            [Step]
            public Task<int> Double(int parse, CancellationToken ct) => Task.FromResult(parse * 2);
        }
    }
}

public static class NestedTypeUsage
{
    public static async Task<int> RunAsync() => await new Outer.Middle.Inner().RunAsync("21");
}
