namespace Flows;

/// <summary>
/// Under <see cref="Scheduling.Dataflow"/>, starts this step only after the named step has completed,
/// without consuming its output.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class AfterAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="step">The step that must complete first; write <c>nameof(Step)</c>.</param>
    public AfterAttribute(string step) => Step = step;

    /// <summary>The step that must complete first.</summary>
    public string Step { get; }
}
