namespace Flows;

/// <summary>
/// Tells the Flows analyzers that a type, field or property is safe to use from steps that run at the
/// same time (it synchronizes its own accesses), so they do not report races on it.
/// </summary>
[AttributeUsage(
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Field | AttributeTargets.Property,
    AllowMultiple = false,
    Inherited = false)]
public sealed class ThreadSafeAttribute : Attribute
{
}
