using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// What each local of one body stands for: the value it was given, when it is given exactly one (<c>var list = _items;</c>,
/// or <c>List&lt;int&gt; list;</c> then <c>list = _items;</c>, reads as <c>_items</c>). A local assigned twice, changed by a compound assignment, <c>??=</c>, <c>++</c>/<c>--</c>, a
/// <c>ref</c>/<c>out</c> argument, an <c>out var</c> or a deconstruction stands for nothing.
/// </summary>
internal sealed class LocalValues
{
    // A local mapped to null was assigned more than once, or changed some other way.
    private readonly Dictionary<ILocalSymbol, IOperation?> _values = new(SymbolEqualityComparer.Default);

    private LocalValues()
    {
    }

    /// <summary>The locals of <paramref name="body"/> and what each stands for.</summary>
    public static LocalValues Of(IOperation body)
    {
        var locals = new LocalValues();
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                // 'List<int> target;' gives no value: the one assignment that follows does (target = _items).
                case IVariableDeclaratorOperation { Initializer: null, Parent: IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation } }:
                    break;
                case IVariableDeclaratorOperation declarator:
                    locals.Assign(declarator.Symbol, declarator.Initializer?.Value);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                    locals.Assign(local.Local, assignment.Value);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation local }:
                    locals.Invalidate(local.Local);
                    break;
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation local }:
                    locals.Invalidate(local.Local);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local }:
                    locals.Invalidate(local.Local);
                    break;
                case IArgumentOperation { Value: ILocalReferenceOperation local, Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                    locals.Invalidate(local.Local);
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local }:
                    locals.Invalidate(local.Local);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var target in deconstruction.Target.Descendants())
                    {
                        if (target is ILocalReferenceOperation local)
                        {
                            locals.Invalidate(local.Local);
                        }
                    }

                    break;
            }
        }

        return locals;
    }

    /// <summary>The one value <paramref name="local"/> was given, or null when it was given none or several.</summary>
    public IOperation? ValueOf(ILocalSymbol local) => _values.TryGetValue(local, out var value) ? value : null;

    private void Assign(ILocalSymbol local, IOperation? value)
    {
        if (_values.ContainsKey(local))
        {
            _values[local] = null;
        }
        else
        {
            _values[local] = value;
        }
    }

    private void Invalidate(ILocalSymbol local) => _values[local] = null;
}
