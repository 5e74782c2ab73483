namespace Flows;

/// <summary>
/// Marks a method of a <see cref="WorkflowAttribute">workflow</see> as a step.
/// </summary>
/// <remarks>
/// A step may be static or instance, of any accessibility, and return <see langword="void"/>, a value,
/// <see cref="System.Threading.Tasks.Task"/>, <see cref="System.Threading.Tasks.Task{TResult}"/>,
/// <see cref="System.Threading.Tasks.ValueTask"/> or <see cref="System.Threading.Tasks.ValueTask{TResult}"/>.
/// It may not be <c>async void</c>, generic, or take <see langword="ref"/>, <see langword="out"/> or
/// <see langword="in"/> parameters. Its parameters are bound, in this order, to the step's
/// <see cref="System.Threading.CancellationToken"/>, its <see cref="StepContext"/>, the item of a foreach,
/// an explicit <see cref="FromStepAttribute"/>, the output of a step with the same name (ignoring case
/// and an <c>Async</c> suffix), or else a workflow input that becomes a parameter of <c>RunAsync</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StepAttribute : Attribute
{
    /// <summary>
    /// When <see langword="true"/>, a failure of this step does not fail the run: steps that consume
    /// its output receive an <see cref="Outcome{T}"/> instead of the plain value.
    /// </summary>
    public bool ContinueOnError { get; set; }
}
