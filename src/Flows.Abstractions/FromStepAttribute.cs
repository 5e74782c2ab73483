namespace Flows;

/// <summary>
/// Binds a step parameter to the output of the named step, whatever the parameter is called.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FromStepAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="step">The producing step's name; write <c>nameof(Step)</c>.</param>
    public FromStepAttribute(string step) => Step = step;

    /// <summary>The producing step's name.</summary>
    public string Step { get; }
}
