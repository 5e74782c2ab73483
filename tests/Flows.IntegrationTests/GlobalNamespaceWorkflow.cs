// A workflow in the global namespace: the generated partial must not open a namespace.
[Workflow]
public partial class GlobalNamespaceWorkflow
{
    [Step]
    public int Length(string text) => text.Length;

    [Step]
    public async Task<string> Describe(int length)
    {
        await Task.Yield();
        return $"{length} characters";
    }
}
