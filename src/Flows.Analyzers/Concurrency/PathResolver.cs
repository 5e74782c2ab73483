using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Names what an operation of one method reaches the way the race analysis compares it: the <see cref="AccessPath"/>
/// of a field, property, parameter or static (through locals given one value, <see cref="LocalValues"/>), and where an
/// array index comes from (<see cref="IndexSource"/>).
/// </summary>
internal sealed class PathResolver
{
    /// <summary>
    /// How many links (a member, a conversion, a local standing for its value) a path is followed through. Eight holds
    /// the chains step code writes (<c>this._a._b._c</c> with a local or two on the way); past it the path is not named:
    /// an access there is not recorded, a lock on it not seen, a task there not known complete. The cut also ends the
    /// walk where locals stand for each other in a cycle, which code with errors (being typed) can do.
    /// </summary>
    public const int MaxPathDepth = 8;

    /// <summary>
    /// How many locals and constant shifts an index is followed through (<c>var i = context.Index; var j = i + 1;</c>).
    /// Four covers how code names an index; past it the index is <see cref="IndexSource.Unknown"/>, which treats two
    /// writes as possibly the same element (the cautious answer). The cut also ends cycles of locals in code with errors.
    /// </summary>
    public const int MaxIndexDepth = 4;

    private readonly IMethodSymbol _method;
    private readonly KnownSymbols _symbols;
    private readonly LocalValues _locals;

    public PathResolver(IMethodSymbol method, KnownSymbols symbols, LocalValues locals)
    {
        _method = method;
        _symbols = symbols;
        _locals = locals;
    }

    /// <summary>
    /// The path of the value <paramref name="operation"/> yields, when it is a field, property, parameter or static
    /// (through locals assigned once). With <paramref name="localsAsRoots"/>, locals and lambda parameters are roots of
    /// their own: how completed tasks are tracked.
    /// </summary>
    public AccessPath? PathOf(IOperation? operation, bool localsAsRoots = false) => PathOf(operation, localsAsRoots, 0);

    /// <summary><c>typeof(T)</c>, a lock object of its own: what <c>lock (typeof(T))</c> and a static synchronized method lock.</summary>
    public static AccessPath TypeRoot(ITypeSymbol type) =>
        new(RootKind.Static, 0, type, "typeof(" + type.Name + ")", ImmutableArray<ISymbol>.Empty);

    /// <summary>A static field or property, named by its type: <c>Cache.s_items</c>.</summary>
    public static AccessPath StaticRoot(ISymbol member) =>
        new(RootKind.Static, 0, member, (member.ContainingType?.Name is { Length: > 0 } type ? type + "." : string.Empty) + member.Name, ImmutableArray<ISymbol>.Empty);

    /// <summary>A local or lambda parameter as a root of its own (never shared; used for the facts about tasks).</summary>
    public static AccessPath LocalRoot(ISymbol local) => new(RootKind.Local, 0, local, local.Name, ImmutableArray<ISymbol>.Empty);

    /// <summary>
    /// A callee's path as its caller sees it: the callee's <c>this</c> becomes <paramref name="receiver"/>, its
    /// parameters the <paramref name="arguments"/> at the call; null when that is not a path.
    /// </summary>
    public static AccessPath? InCaller(AccessPath path, AccessPath? receiver, AccessPath?[] arguments) => path.Kind switch
    {
        RootKind.This => receiver is null ? null : path.Rebase(receiver),
        RootKind.Parameter => path.Index < arguments.Length && arguments[path.Index] is { } argument ? path.Rebase(argument) : null,
        RootKind.Static => path,
        _ => null,
    };

    /// <summary>Where the index of a one-dimensional element access comes from.</summary>
    public int IndexOf(IArrayElementReferenceOperation element) =>
        element.Indices.Length == 1 ? IndexSourceOf(element.Indices[0]) : IndexSource.Unknown;

    /// <summary><c>context.Index</c> (also through a local), or the parameter an index comes from.</summary>
    public int IndexSourceOf(IOperation? operation) => IndexSourceOf(operation, 0);

    private AccessPath? PathOf(IOperation? operation, bool localsAsRoots, int depth)
    {
        if (depth > MaxPathDepth)
        {
            return null;
        }

        switch (operation)
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return AccessPath.This;

            case IFieldReferenceOperation field:
                if (field.Field.IsConst)
                {
                    return null;
                }

                return field.Field.IsStatic
                    ? StaticRoot(field.Field)
                    : PathOf(field.Instance, localsAsRoots, depth + 1)?.Append(field.Field);

            case IPropertyReferenceOperation property:
                if (property.Arguments.Length > 0 || IsRandomShared(property.Property))
                {
                    return null;
                }

                return property.Property.IsStatic
                    ? StaticRoot(property.Property)
                    : PathOf(property.Instance, localsAsRoots, depth + 1)?.Append(property.Property);

            case IParameterReferenceOperation parameter:
                var owner = parameter.Parameter.ContainingSymbol;
                if (SymbolEqualityComparer.Default.Equals(owner, _method))
                {
                    return new AccessPath(RootKind.Parameter, parameter.Parameter.Ordinal, parameter.Parameter, parameter.Parameter.Name, ImmutableArray<ISymbol>.Empty);
                }

                if (owner is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                    && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, _method.ContainingType)
                    && !_method.IsStatic)
                {
                    // A primary-constructor parameter captured by a member: state of the instance.
                    return AccessPath.This.Append(parameter.Parameter);
                }

                return localsAsRoots ? LocalRoot(parameter.Parameter) : null;

            case ILocalReferenceOperation local:
                if (localsAsRoots)
                {
                    return LocalRoot(local.Local);
                }

                return _locals.ValueOf(local.Local) is { } value ? PathOf(value, localsAsRoots, depth + 1) : null;

            case IConversionOperation { OperatorMethod: null } conversion:
                return PathOf(conversion.Operand, localsAsRoots, depth + 1);

            case ITypeOfOperation typeOf:
                return TypeRoot(typeOf.TypeOperand);

            default:
                return null;
        }
    }

    /// <summary><c>Random.Shared</c> is thread-safe: not a path whose contents race.</summary>
    private bool IsRandomShared(IPropertySymbol property) =>
        property.IsStatic && property.Name == "Shared" && KnownSymbols.Same(property.ContainingType, _symbols.Table.Random);

    private int IndexSourceOf(IOperation? operation, int depth)
    {
        if (operation?.ConstantValue is { HasValue: true, Value: int constant } && constant >= 0)
        {
            return IndexSource.Constant(constant);
        }

        switch (Unwrap(operation))
        {
            case IPropertyReferenceOperation { Property.Name: "Index" } property
                when KnownSymbols.Same(property.Property.ContainingType, _symbols.StepContext):
                return IndexSource.ItemIndex;
            case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _method):
                return parameter.Parameter.Ordinal;
            case ILocalReferenceOperation local when depth < MaxIndexDepth && _locals.ValueOf(local.Local) is { } value:
                return IndexSourceOf(value, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "Increment" or "Decrement" } counter
                when KnownSymbols.Same(counter.TargetMethod.ContainingType, _symbols.Interlocked):
                // Each call returns a value no other call returns: a slot of its own.
                return IndexSource.Claimed;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, RightOperand.ConstantValue.HasValue: true } shifted
                when depth < MaxIndexDepth && IndexSourceOf(shifted.LeftOperand, depth + 1) == IndexSource.Claimed:
                return IndexSource.Claimed;
            default:
                return IndexSource.Unknown;
        }
    }
}
