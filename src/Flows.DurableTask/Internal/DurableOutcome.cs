using System.ComponentModel;

namespace Flows.DurableTask.Internal;

/// <summary>
/// The wire form of an <see cref="Outcome{T}"/>: what a durable workflow passes between orchestration and activities
/// where the in-process run passes an outcome (a continue-on-error step's output). An exception object does not cross
/// the wire; a failure keeps the step's name, the original type name and message, and comes back as a
/// <see cref="DurableStepException"/>. Not meant to be used by user code.
/// </summary>
/// <typeparam name="T">The value's wire type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DurableOutcome<T>
{
    /// <summary>Whether the step succeeded.</summary>
    public bool IsSuccess { get; set; }

    /// <summary>The value, when it succeeded.</summary>
    public T? Value { get; set; }

    /// <summary>The failing step's name, when it failed.</summary>
    public string? StepName { get; set; }

    /// <summary>The original exception's type name, when it failed.</summary>
    public string? ErrorType { get; set; }

    /// <summary>The original exception's message, when it failed.</summary>
    public string? ErrorMessage { get; set; }
}

/// <summary>Converts outcomes to and from their wire form, in the three shapes Flows produces. Not meant to be used by user code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableOutcome
{
    /// <summary>An outcome's wire form.</summary>
    public static DurableOutcome<T> ToWire<T>(Outcome<T> outcome) => ToWire(outcome, static value => value);

    /// <summary>An outcome, back from its wire form.</summary>
    public static Outcome<T> FromWire<T>(DurableOutcome<T>? wire) => FromWire(wire, static value => value!);

    /// <summary>A list of outcomes (a continue-on-error foreach's output) in wire form.</summary>
    public static DurableOutcome<T>[] ToWire<T>(IReadOnlyList<Outcome<T>> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var wire = new DurableOutcome<T>[outcomes.Count];
        for (var i = 0; i < wire.Length; i++)
        {
            wire[i] = ToWire(outcomes[i]);
        }

        return wire;
    }

    /// <summary>A list of outcomes, back from its wire form.</summary>
    public static IReadOnlyList<Outcome<T>> FromWire<T>(DurableOutcome<T>[]? wire)
    {
        if (wire is null)
        {
            return Array.Empty<Outcome<T>>();
        }

        var outcomes = new Outcome<T>[wire.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = FromWire(wire[i]);
        }

        return outcomes;
    }

    /// <summary>The outcome of a continue-on-error foreach that itself may fail, in wire form.</summary>
    public static DurableOutcome<DurableOutcome<T>[]> ToWire<T>(Outcome<IReadOnlyList<Outcome<T>>> outcome) => ToWire(outcome, ToWire);

    /// <summary>The outcome of a continue-on-error foreach that itself may fail, back from its wire form.</summary>
    public static Outcome<IReadOnlyList<Outcome<T>>> FromWire<T>(DurableOutcome<DurableOutcome<T>[]>? wire) => FromWire(wire, FromWire);

    private static DurableOutcome<TWire> ToWire<T, TWire>(Outcome<T> outcome, Func<T, TWire> value)
    {
        if (outcome.IsSuccess)
        {
            return new DurableOutcome<TWire> { IsSuccess = true, Value = value(outcome.Value) };
        }

        var failure = outcome.Exception!;
        return failure is DurableStepException step
            ? new DurableOutcome<TWire> { StepName = step.StepName, ErrorType = step.ErrorType, ErrorMessage = step.ErrorMessage }
            : new DurableOutcome<TWire> { StepName = (failure as StepTimeoutException)?.StepName ?? string.Empty, ErrorType = failure.GetType().FullName, ErrorMessage = failure.Message };
    }

    private static Outcome<T> FromWire<T, TWire>(DurableOutcome<TWire>? wire, Func<TWire, T> value)
    {
        if (wire is null)
        {
            throw new ArgumentNullException(nameof(wire), "An outcome's wire form is missing.");
        }

        return wire.IsSuccess
            ? Outcome<T>.Success(value(wire.Value!))
            : Outcome<T>.Failure(new DurableStepException(wire.StepName ?? string.Empty, wire.ErrorType ?? typeof(Exception).FullName!, wire.ErrorMessage ?? string.Empty));
    }
}
