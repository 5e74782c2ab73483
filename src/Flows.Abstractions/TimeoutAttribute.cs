namespace Flows;

/// <summary>
/// Limits each attempt of a step (each item of a foreach step) to <see cref="Milliseconds"/>. On expiry the
/// step's token is cancelled and the attempt fails with a <see cref="StepTimeoutException"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TimeoutAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="milliseconds">The longest one attempt may take.</param>
    public TimeoutAttribute(int milliseconds) => Milliseconds = milliseconds;

    /// <summary>The longest one attempt may take, in milliseconds.</summary>
    public int Milliseconds { get; }
}
