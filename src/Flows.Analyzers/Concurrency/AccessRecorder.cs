using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// The accesses one walk records, each with the locks held (<see cref="LockTracker.Held"/>): what is shared storage
/// and what is not (locals, by-value parameters, <c>this</c>), what is read-only or atomic, what a thread-safe type,
/// a <c>[ThreadSafe]</c> member or a <c>[ThreadStatic]</c> field protects, and a callee's accesses as seen at the call.
/// </summary>
internal sealed class AccessRecorder
{
    /// <summary>
    /// How many accesses one method's summary holds, its callees' included. Past it the summary is cut off
    /// (<see cref="Truncated"/>, not cached) and the walk stops: it bounds the time and memory one pathological method
    /// (generated-looking code, a huge switch) can take. Step code and its helpers stay far below it.
    /// </summary>
    public const int MaxAccesses = 2000;

    private readonly IMethodSymbol _method;
    private readonly KnownSymbols _symbols;
    private readonly PathResolver _paths;
    private readonly LockTracker _locks;
    private readonly bool _resumesElsewhere;
    private readonly ImmutableArray<Access>.Builder _accesses = ImmutableArray.CreateBuilder<Access>();

    /// <param name="resumesElsewhere">The method may go on on another thread after an <c>await</c>: its <c>[ThreadStatic]</c> state is not its own.</param>
    public AccessRecorder(IMethodSymbol method, KnownSymbols symbols, PathResolver paths, LockTracker locks, bool resumesElsewhere)
    {
        _method = method;
        _symbols = symbols;
        _paths = paths;
        _locks = locks;
        _resumesElsewhere = resumesElsewhere;
    }

    /// <summary>Set when <see cref="MaxAccesses"/> was reached.</summary>
    public bool Truncated { get; private set; }

    public ImmutableArray<Access> ToImmutable() => _accesses.ToImmutable();

    /// <summary>A read or write of storage (<see cref="Facet.Storage"/>) or of array elements (<see cref="Facet.Elements"/>) at <paramref name="path"/>.</summary>
    public void Record(AccessPath? path, Facet facet, AccessKind kind, IOperation at, bool atomic = false, int index = IndexSource.Unknown, string? compound = null)
    {
        if (path is null || path.Kind == RootKind.Local)
        {
            return;
        }

        if (facet == Facet.Storage)
        {
            var storage = path.Last;
            if (path.Members.IsEmpty && path.Kind != RootKind.Static
                && !(path.Kind == RootKind.Parameter && path.RootSymbol is IParameterSymbol { RefKind: not RefKind.None }))
            {
                // A by-value parameter or `this` itself: not shared storage. A ref parameter is the caller's storage,
                // mapped onto it where the call is folded in.
                return;
            }

            // Read-only storage is written only while the object is constructed, before any step runs.
            if (kind == AccessKind.Read && IsReadOnly(storage))
            {
                return;
            }

            if (storage is IFieldSymbol { IsVolatile: true } && kind != AccessKind.ReadWrite)
            {
                atomic = true;
            }
        }

        if (IsProtected(path, facet))
        {
            return;
        }

        Add(new Access(new AccessKey(path, facet), kind, atomic, index, _locks.Held, at.Syntax.GetLocation(), string.Empty, ObjectCategory.None, string.Empty, compound));
    }

    /// <summary>A use of the inside of a member-table object (<see cref="Facet.Contents"/>) through <paramref name="member"/>.</summary>
    public void RecordContents(IOperation receiver, TypeRule rule, AccessKind kind, string member, IOperation at)
    {
        var type = Unwrap(receiver)?.Type;
        var path = _paths.PathOf(receiver, localsAsRoots: false);
        if (path is null || type is null)
        {
            return;
        }

        // HttpClient.DefaultRequestHeaders is part of the client: headers changed there are sent by every request.
        if (path.Last is IPropertySymbol { Name: "DefaultRequestHeaders" } && path.Members.Length > 0)
        {
            var client = path.Members.RemoveAt(path.Members.Length - 1);
            type = ((IPropertySymbol)path.Last).ContainingType;
            path = client.IsEmpty && path.RootSymbol is null && path.Kind == RootKind.This
                ? AccessPath.This
                : new AccessPath(path.Kind, path.Index, path.RootSymbol, path.RootName, client);
            member = "DefaultRequestHeaders." + member;
        }

        if (IsProtected(path, Facet.Contents))
        {
            return;
        }

        Add(new Access(
            new AccessKey(path, Facet.Contents),
            kind,
            atomic: false,
            IndexSource.Unknown,
            _locks.Held,
            at.Syntax.GetLocation(),
            member,
            rule.Category,
            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            compoundOperator: null));
    }

    /// <summary>
    /// The accesses of <paramref name="callee"/>'s summary as this method makes them at the call: its <c>this</c> and
    /// parameters become the receiver and arguments here, its locks join the locks held here, and each is placed at
    /// the call. With <paramref name="stopAfterFirst"/> (the walk is cut off already) only the first is recorded.
    /// </summary>
    public void RecordCall(
        IMethodSymbol callee, MethodSummary summary, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, Location location, bool stopAfterFirst)
    {
        if (summary.Accesses.IsEmpty)
        {
            return;
        }

        var receiver = callee.IsStatic ? null : instance is null ? AccessPath.This : _paths.PathOf(instance, localsAsRoots: false);
        var parameterCount = SummaryCache.Implementation(callee).Parameters.Length;
        var argumentPaths = new AccessPath?[parameterCount];
        var argumentIndexes = new int[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            argumentIndexes[i] = IndexSource.Unknown;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Ordinal < parameterCount && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                argumentPaths[parameter.Ordinal] = _paths.PathOf(argument.Value, localsAsRoots: false);
                argumentIndexes[parameter.Ordinal] = _paths.IndexSourceOf(argument.Value);
            }
        }

        foreach (var access in summary.Accesses)
        {
            var path = PathResolver.InCaller(access.Key.Path, receiver, argumentPaths);
            if (path is null || IsProtected(path, access.Key.Facet))
            {
                continue;
            }

            var locks = _locks.Held;
            foreach (var held in access.Locks)
            {
                if (PathResolver.InCaller(held.Path, receiver, argumentPaths) is { } lockPath)
                {
                    locks = locks.Add(new LockRef(lockPath, held.Exclusive));
                }
            }

            var index = access.Index >= 0 ? (access.Index < parameterCount ? argumentIndexes[access.Index] : IndexSource.Unknown) : access.Index;
            Add(access.With(new AccessKey(path, access.Key.Facet), index, locks, location));
            if (stopAfterFirst || Truncated)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Whether accesses at <paramref name="path"/> are synchronized by what they go through: a member marked
    /// <c>[ThreadSafe]</c>, or an object of a thread-safe type on the way (for storage, the object holding it).
    /// </summary>
    public bool IsProtected(AccessPath path, Facet facet)
    {
        var table = _symbols.Table;
        if (path.Kind == RootKind.This && table.IsThreadSafe(_method.ContainingType))
        {
            return true;
        }

        // A [ThreadStatic] field, and what it holds, is per thread in a body that stays on one thread.
        if (path.Kind == RootKind.Static && !_resumesElsewhere && _symbols.IsThreadStatic(path.RootSymbol))
        {
            return true;
        }

        if (path.RootSymbol is { } root && (table.IsMarkedThreadSafe(root) || (path.Members.Length > 0 && table.IsThreadSafe(TypeOf(root)))))
        {
            return true;
        }

        var members = path.Members;
        for (var i = 0; i < members.Length; i++)
        {
            if (table.IsMarkedThreadSafe(members[i]))
            {
                return true;
            }

            var holdsOthers = i < members.Length - 1 || facet != Facet.Storage;
            if (holdsOthers && table.IsThreadSafe(TypeOf(members[i])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether calls on <paramref name="instance"/> synchronize themselves: its type is thread-safe, or its path is protected.</summary>
    public bool IsSynchronizedReceiver(IOperation? instance)
    {
        if (instance is null)
        {
            return false;
        }

        if (_symbols.Table.IsThreadSafe(Unwrap(instance)?.Type))
        {
            return true;
        }

        return _paths.PathOf(instance, localsAsRoots: false) is { } path && IsProtected(path, Facet.Contents);
    }

    private void Add(Access access)
    {
        if (_accesses.Count >= MaxAccesses)
        {
            Truncated = true;
            return;
        }

        _accesses.Add(access);
    }

    private static bool IsReadOnly(ISymbol? storage) => storage switch
    {
        IFieldSymbol field => field.IsReadOnly || field.IsConst,
        IPropertySymbol property => property.SetMethod is null && property.IsReadOnly && IsAutoProperty(property),
        _ => false,
    };

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.GetMethod is not { } getter || getter.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        foreach (var reference in getter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax { Body: null, ExpressionBody: null })
            {
                return true;
            }
        }

        return false;
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IParameterSymbol parameter => parameter.Type,
        ILocalSymbol local => local.Type,
        ITypeSymbol type => type,
        _ => null,
    };
}
