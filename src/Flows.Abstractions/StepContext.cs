namespace Flows;

/// <summary>
/// Describes one invocation of a step. A step receives it by declaring a parameter of this type; the
/// step hooks (<c>OnStepStarting</c>, <c>OnStepCompleted</c>, <c>OnStepFailed</c>) receive it too.
/// </summary>
public readonly struct StepContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="workflow">The workflow class's name.</param>
    /// <param name="step">The step method's name.</param>
    /// <param name="attempt">The attempt, from 1.</param>
    /// <param name="index">The item's position in a foreach; <c>-1</c> elsewhere or when unknown.</param>
    /// <param name="count">The number of items in a foreach; <c>-1</c> elsewhere or when unknown.</param>
    public StepContext(string workflow, string step, int attempt = 1, int index = -1, int count = -1)
    {
        Workflow = workflow;
        Step = step;
        Attempt = attempt;
        Index = index;
        Count = count;
    }

    internal StepContext(string workflow, string step, int attempt, int index, int count, Internal.StepObservation? observation)
        : this(workflow, step, attempt, index, count)
    {
        Observation = observation;
    }

    /// <summary>The workflow class's name.</summary>
    public string Workflow { get; }

    /// <summary>The step method's name.</summary>
    public string Step { get; }

    /// <summary>The attempt, from 1; above 1 only when the step has a <see cref="RetryAttribute"/>.</summary>
    public int Attempt { get; }

    /// <summary>The item's position in a foreach step; <c>-1</c> elsewhere or when unknown.</summary>
    public int Index { get; }

    /// <summary>The number of items of a foreach step; <c>-1</c> elsewhere or when unknown (a streamed source).</summary>
    public int Count { get; }

    /// <summary>The foreach item's observation in an observed run, for its retries; null otherwise.</summary>
    internal Internal.StepObservation? Observation { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = $"{Workflow}.{Step}";
        if (Index >= 0)
        {
            text += Count >= 0 ? $"[{Index}/{Count}]" : $"[{Index}]";
        }

        return Attempt > 1 ? $"{text} (attempt {Attempt})" : text;
    }
}
