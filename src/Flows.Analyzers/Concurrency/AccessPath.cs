using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers.Concurrency;

/// <summary>Where an access path starts.</summary>
internal enum RootKind
{
    /// <summary>The instance the method runs on (<c>this</c>).</summary>
    This,

    /// <summary>A static field or property, or a type (<c>lock (typeof(X))</c>): <see cref="AccessPath.RootSymbol"/>.</summary>
    Static,

    /// <summary>A parameter of the method, by ordinal (<see cref="AccessPath.Index"/>).</summary>
    Parameter,

    /// <summary>A local or lambda parameter: only used to track which tasks have completed.</summary>
    Local,

    /// <summary>A workflow input, by index, reaching a step through its parameter.</summary>
    Input,

    /// <summary>The output of a step, by index, reaching a consumer through its parameter.</summary>
    StepOutput,

    /// <summary>The output of a FirstSuccess group, by stage index.</summary>
    GroupOutput,
}

/// <summary>
/// A place in memory named the way code names it: a root and a chain of fields and properties
/// (<c>this._stats.Count</c>, <c>Cache.s_items</c>, the input <c>orders</c>). Two accesses race only on the
/// same path; aliasing through other names is not tracked (the analysis prefers silence to guessing).
/// </summary>
internal sealed class AccessPath : IEquatable<AccessPath>
{
    private readonly int _hash;

    public AccessPath(RootKind kind, int index, ISymbol? rootSymbol, string rootName, ImmutableArray<ISymbol> members)
    {
        Kind = kind;
        Index = index;
        RootSymbol = rootSymbol;
        RootName = rootName;
        Members = members;
        var hash = ((int)kind * 397) ^ index;
        if (rootSymbol is not null)
        {
            hash = (hash * 31) + SymbolEqualityComparer.Default.GetHashCode(rootSymbol);
        }

        foreach (var member in members)
        {
            hash = (hash * 31) + SymbolEqualityComparer.Default.GetHashCode(member);
        }

        _hash = hash;
    }

    public static AccessPath This { get; } = new(RootKind.This, 0, null, string.Empty, ImmutableArray<ISymbol>.Empty);

    public RootKind Kind { get; }

    /// <summary>The parameter ordinal, input index, step index or stage index; 0 otherwise.</summary>
    public int Index { get; }

    /// <summary>The static member or type of a <see cref="RootKind.Static"/> root; the local of a <see cref="RootKind.Local"/> one.</summary>
    public ISymbol? RootSymbol { get; }

    /// <summary>How messages name the root: empty for <c>this</c>, a type for statics, a parameter's name.</summary>
    public string RootName { get; }

    /// <summary>The fields and properties followed from the root.</summary>
    public ImmutableArray<ISymbol> Members { get; }

    /// <summary>The last member, whose type is the type of the object at this path.</summary>
    public ISymbol? Last => Members.Length > 0 ? Members[Members.Length - 1] : RootSymbol;

    public AccessPath Append(ISymbol member) => new(Kind, Index, RootSymbol, RootName, Members.Add(member));

    /// <summary>This path with its root replaced by <paramref name="root"/>: how a callee's path reads in its caller.</summary>
    public AccessPath Rebase(AccessPath root) =>
        Members.IsEmpty ? root : new AccessPath(root.Kind, root.Index, root.RootSymbol, root.RootName, root.Members.AddRange(Members));

    /// <summary>The path as code would write it: <c>_stats.Count</c>, <c>Cache.s_items</c>, <c>orders</c>.</summary>
    public string Display()
    {
        var parts = new List<string>(Members.Length + 1);
        if (RootName.Length > 0)
        {
            parts.Add(RootName);
        }

        foreach (var member in Members)
        {
            parts.Add(member.Name);
        }

        return parts.Count == 0 ? "this" : string.Join(".", parts);
    }

    public bool Equals(AccessPath? other)
    {
        if (other is null || other._hash != _hash || other.Kind != Kind || other.Index != Index
            || other.Members.Length != Members.Length
            || !SymbolEqualityComparer.Default.Equals(other.RootSymbol, RootSymbol))
        {
            return false;
        }

        for (var i = 0; i < Members.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(Members[i], other.Members[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as AccessPath);

    public override int GetHashCode() => _hash;

    public override string ToString() => $"{Kind}:{Display()}";
}
