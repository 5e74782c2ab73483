using System.ComponentModel;

namespace Flows.DurableTask.Internal;

/// <summary>
/// The state a durable Dataflow run shares between its steps: whether a step has failed, after which no step starts
/// (the running ones are waited for). Orchestrator code: one instance per orchestration execution, touched only on the
/// orchestration's own thread. Not meant to be used by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DurableDataflow
{
    private bool _failed;

    /// <summary>A step failed: no step starts from now on.</summary>
    public void Fail() => _failed = true;

    /// <summary>Called before a step starts.</summary>
    /// <exception cref="OperationCanceledException">A step has failed.</exception>
    public void ThrowIfFailed()
    {
        if (_failed)
        {
            throw new OperationCanceledException("Not started: another step of the run failed.");
        }
    }
}
