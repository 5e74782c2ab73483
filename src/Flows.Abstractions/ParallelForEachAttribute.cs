namespace Flows;

/// <summary>
/// Marks a method as a step that runs once per item of a source, several items at a time. Implies
/// <see cref="StepAttribute"/>. The method's first parameter receives the item.
/// </summary>
/// <remarks>
/// The source names a step output (<c>nameof(Step)</c>) or a workflow input (its name as a string).
/// The step's output is an <see cref="System.Collections.Generic.IReadOnlyList{T}"/> of the results in
/// source order (of <see cref="Outcome{T}"/> with <see cref="ContinueOnError"/>).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ParallelForEachAttribute : Attribute
{
    /// <summary>Creates the attribute for the items of <paramref name="source"/>.</summary>
    /// <param name="source">A step's name (<c>nameof(Step)</c>) or the name of a workflow input.</param>
    public ParallelForEachAttribute(string source) => Source = source;

    /// <summary>The step or workflow input whose items this step runs over.</summary>
    public string Source { get; }

    /// <summary>
    /// The most items that run at once: <see cref="Environment.ProcessorCount"/> by default, <c>-1</c> for
    /// no limit. <c>0</c> and values below <c>-1</c> are invalid (FLOW009).
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// When <see langword="true"/>, a failing item does not fail the step: the output holds an
    /// <see cref="Outcome{T}"/> per item.
    /// </summary>
    public bool ContinueOnError { get; set; }

    /// <summary>
    /// With <see cref="ContinueOnError"/>: the smallest share of items (from 0 to 1) that must succeed;
    /// a lower share fails the step with an <see cref="AggregateException"/>. <c>0</c> (the default) means no minimum.
    /// </summary>
    public double MinSuccessRate { get; set; }

    /// <summary>
    /// Runs the items in batches of this size: the next batch starts when the previous one has completed
    /// (plus <see cref="DelayBetweenBatchesMilliseconds"/>). <c>0</c> (the default) means no batches.
    /// </summary>
    public int BatchSize { get; set; }

    /// <summary>The pause between two batches, in milliseconds. Used with <see cref="BatchSize"/>.</summary>
    public int DelayBetweenBatchesMilliseconds { get; set; }

    /// <summary>The most items started per second. <c>0</c> (the default) means no limit.</summary>
    public double MaxItemsPerSecond { get; set; }
}
