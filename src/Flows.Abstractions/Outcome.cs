using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Flows;

/// <summary>
/// The result of a step that may fail without failing the run: either a value or the exception that
/// ended the step.
/// </summary>
/// <typeparam name="T">The step's output type.</typeparam>
public readonly struct Outcome<T>
{
    private readonly T _value;

    private Outcome(T value, Exception? exception)
    {
        _value = value;
        Exception = exception;
    }

    /// <summary>Creates a successful outcome holding <paramref name="value"/>.</summary>
    public static Outcome<T> Success(T value) => new(value, null);

    /// <summary>Creates a failed outcome holding <paramref name="exception"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static Outcome<T> Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(default!, exception);
    }

    /// <summary><see langword="true"/> when the step succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Exception))]
    public bool IsSuccess => Exception is null;

    /// <summary>The exception that ended the step, or <see langword="null"/> when it succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// The step's value. When the step failed, rethrows the original exception with its original stack.
    /// </summary>
    public T Value
    {
        get
        {
            if (Exception is not null)
            {
                ExceptionDispatchInfo.Throw(Exception);
            }

            return _value;
        }
    }

    /// <summary>Gets the value when the step succeeded.</summary>
    /// <param name="value">The value, or the default of <typeparamref name="T"/> when the step failed.</param>
    /// <returns><see langword="true"/> when the step succeeded.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Exception is null;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Exception is null ? $"Success({_value})" : $"Failure({Exception.GetType().Name}: {Exception.Message})";
}
