using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// The methods one walk calls into, seen from where the walk is: whether a callee has a body in this compilation to
/// follow, and its summary one call deeper (<see cref="SummaryCache"/>, with the calls already in progress cut).
/// </summary>
internal sealed class Callees
{
    private readonly SummaryCache _cache;
    private readonly HashSet<IMethodSymbol> _inProgress;
    private readonly int _depth;
    private readonly CancellationToken _cancellationToken;

    public Callees(SummaryCache cache, HashSet<IMethodSymbol> inProgress, int depth, CancellationToken cancellationToken)
    {
        _cache = cache;
        _inProgress = inProgress;
        _depth = depth;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Whether <paramref name="method"/> has source in this compilation (not generated code) that the walk can follow.</summary>
    public bool HasBody(IMethodSymbol method) =>
        _cache.HasSource(method) && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _cache.Compilation.Assembly);

    /// <summary>
    /// What <paramref name="callee"/> does, in terms of its own <c>this</c> and parameters; <paramref name="truncated"/>
    /// when it, or a call under it, was cut off by <see cref="SummaryCache.MaxDepth"/>.
    /// </summary>
    public MethodSummary SummaryOf(IMethodSymbol callee, out bool truncated) =>
        _cache.Get(callee, _inProgress, _depth + 1, _cancellationToken, out truncated);

    /// <summary>The implementations in this compilation of an interface or abstract method (<see cref="SummaryCache.ImplementationsOf"/>).</summary>
    public ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method) => _cache.ImplementationsOf(method, _cancellationToken);

    /// <summary>Whether the <c>SemaphoreSlim</c> stored in <paramref name="storage"/> admits one holder (<see cref="SummaryCache.IsMutexSemaphore"/>).</summary>
    public bool IsMutexSemaphore(ISymbol? storage) => _cache.IsMutexSemaphore(storage, _cancellationToken);
}
