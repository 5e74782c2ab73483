using System.Threading.Tasks;
using Flows;

[Workflow]
public partial class GlobalFlow
{
    [Step]
    public string Greet(string name) => "Hello, " + name;

    [Step]
    public int Measure(string greet) => greet.Length;
}

public static class GlobalNamespaceUsage
{
    public static async Task<int> RunAsync() => await new GlobalFlow().RunAsync("world");
}
