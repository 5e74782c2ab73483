using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Questions about the shape of one operation that the walk and its helpers all ask: what a conversion wraps, which
/// lambda an argument is, whether a block always leaves, whether a call is a statement of its own.
/// </summary>
internal static class OperationShapes
{
    /// <summary>The operand under implicit and explicit conversions that call no user-defined operator.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The lambda <paramref name="operation"/> is, also when it is converted to a delegate.</summary>
    public static IAnonymousFunctionOperation? LambdaOf(IOperation? operation) => Unwrap(operation) switch
    {
        IAnonymousFunctionOperation lambda => lambda,
        IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
        _ => null,
    };

    /// <summary>Whether control never leaves <paramref name="operation"/> normally: it returns, throws, breaks or continues.</summary>
    public static bool AlwaysExits(IOperation? operation) => operation switch
    {
        IReturnOperation or IThrowOperation or IBranchOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation { Operations: { Length: > 0 } operations } => AlwaysExits(operations[operations.Length - 1]),
        _ => false,
    };

    /// <summary>Whether a call is a statement of its own (its result unused), also under <c>await</c> and <c>ConfigureAwait</c>.</summary>
    public static bool IsStatement(IOperation operation)
    {
        var parent = operation.Parent;
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            parent = parent.Parent;
        }

        if (parent is IAwaitOperation)
        {
            parent = parent.Parent;
        }

        return parent is IExpressionStatementOperation;
    }

    /// <summary>
    /// Whether <paramref name="target"/> is a field of a struct held in a local (not a ref local), through fields of
    /// structs only: storage of a copy, not of the object the copy was taken from.
    /// </summary>
    public static bool IsInLocalCopy(IOperation target)
    {
        var operation = target;
        while (operation is IFieldReferenceOperation { Instance: { } instance } && instance.Type?.IsValueType == true)
        {
            if (instance is ILocalReferenceOperation { Local.IsRef: false })
            {
                return true;
            }

            operation = instance;
        }

        return false;
    }

    /// <summary>The operator of a numeric read-modify-write (<c>+</c>, <c>-</c>) on an integer, which picks the advice; null otherwise.</summary>
    public static string? CompoundOperator(IOperation target, BinaryOperatorKind kind)
    {
        if (!IsIntegral(target.Type))
        {
            return null;
        }

        return kind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            _ => null,
        };
    }

    /// <summary>Whether <c>++</c>/<c>--</c> on the type has an <c>Interlocked</c> equivalent: 32- and 64-bit integers.</summary>
    public static bool IsIntegral(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    /// <summary>How messages name the member a use of an object goes through: the method, the property, or <c>indexer</c>.</summary>
    public static string MemberName(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod.Name,
        IPropertyReferenceOperation { Arguments.Length: > 0 } => "indexer",
        IPropertyReferenceOperation property => property.Property.Name,
        _ => string.Empty,
    };
}
