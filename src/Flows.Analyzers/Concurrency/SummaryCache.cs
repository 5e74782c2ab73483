using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// The access summary of every method the race analysis has looked at in one compilation, computed on first use.
/// Calls are followed into methods with source in the same compilation, to a bounded depth; recursion is cut.
/// </summary>
internal sealed class SummaryCache
{
    /// <summary>
    /// How many calls deep the analysis follows from a step. Six reaches through the layers a step calls into (a
    /// service, its helpers, the wrapper around a collection, a property's accessor) while bounding what one step can
    /// cost when every method calls several others. A call deeper is not followed: the summary above it is marked
    /// truncated and not cached, and what that call does is not seen.
    /// </summary>
    public const int MaxDepth = 6;

    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, bool> _generatedTrees = new();
    private readonly ConcurrentDictionary<ISymbol, bool> _mutexes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);
    private ImmutableArray<INamedTypeSymbol> _sourceTypes;

    public SummaryCache(Compilation compilation, KnownSymbols symbols)
    {
        Compilation = compilation;
        Symbols = symbols;
    }

    public Compilation Compilation { get; }

    public KnownSymbols Symbols { get; }

    /// <summary>The summary of <paramref name="method"/>: what it and the methods it calls do to shared state.</summary>
    public MethodSummary Get(IMethodSymbol method, CancellationToken cancellationToken) =>
        Get(method, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), 0, cancellationToken, out _);

    internal MethodSummary Get(IMethodSymbol method, HashSet<IMethodSymbol> inProgress, int depth, CancellationToken cancellationToken, out bool truncated)
    {
        truncated = false;
        var target = Implementation(method);
        if (_summaries.TryGetValue(target, out var cached))
        {
            return cached;
        }

        if (depth > MaxDepth || !inProgress.Add(target))
        {
            // Too deep, or a recursive call: what the method does is already being counted further up.
            truncated = depth > MaxDepth;
            return MethodSummary.Empty;
        }

        var body = BodyOf(target, cancellationToken);
        var operation = body is null ? null : SemanticModelOf(body.SyntaxTree).GetOperation(body, cancellationToken);
        MethodSummary summary;
        if (operation is null)
        {
            summary = MethodSummary.Empty;
        }
        else
        {
            var walker = new MethodWalker(this, target, operation, inProgress, depth, cancellationToken);
            summary = walker.Summarize();
            truncated = walker.Truncated;
        }

        inProgress.Remove(target);

        // A summary cut short by the depth limit depends on where it was reached from; it is not kept.
        if (!truncated)
        {
            _summaries.TryAdd(target, summary);
        }

        return summary;
    }

    /// <summary>
    /// One semantic model per tree for the whole compilation, so that the bodies bound for one step are not bound again
    /// for the next (binding a member of a type with a primary constructor binds its siblings too).
    /// </summary>
    public SemanticModel SemanticModelOf(SyntaxTree tree)
    {
        if (_models.TryGetValue(tree, out var model))
        {
            return model;
        }

#pragma warning disable RS1030 // A symbol action has no model of its own, and the analysis follows calls into other files.
        model = Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        return _models.GetOrAdd(tree, model);
    }

    /// <summary>Whether <paramref name="method"/> has a body in this compilation, outside generated code, that the analysis can follow.</summary>
    public bool HasSource(IMethodSymbol method) => BodyOf(Implementation(method), CancellationToken.None) is not null;

    /// <summary>
    /// How many implementations of one abstract or interface method the analysis follows; past that it follows none.
    /// A service interface has one implementation or a few (a real one, a fake, a decorator); one with more than eight
    /// is a general-purpose abstraction (a handler, a visitor) whose call says little about what runs, and following
    /// every implementation at every call would multiply the work.
    /// </summary>
    public const int MaxImplementations = 8;

    /// <summary>
    /// The methods of this compilation's concrete types that implement the interface method or override the abstract
    /// method <paramref name="method"/>: what a call through the interface or the base type may run. Empty when there
    /// is none, or more than <see cref="MaxImplementations"/> (a member that general says nothing useful).
    /// </summary>
    public ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var key = method;
        if (_implementations.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var declaring = method.ContainingType;
        foreach (var type in SourceTypes(cancellationToken))
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsAbstract)
            {
                continue;
            }

            var implementation = declaring.TypeKind == TypeKind.Interface
                ? ImplementationOfInterfaceMember(type, method)
                : OverrideOf(type, method.OriginalDefinition);
            if (implementation is not null && !found.Contains(implementation, SymbolEqualityComparer.Default))
            {
                found.Add(implementation);
                if (found.Count > MaxImplementations)
                {
                    found.Clear();
                    break;
                }
            }
        }

        var result = found.ToImmutable();
        _implementations.TryAdd(key, result);
        return result;
    }

    private static IMethodSymbol? ImplementationOfInterfaceMember(INamedTypeSymbol type, IMethodSymbol method)
    {
        // ISink<int>.Write is implemented by the types implementing ISink<int>; only a call made in generic code
        // (ISink<T>.Write) may reach every ISink<...>.
        var open = method.ContainingType.TypeArguments.Any(argument => argument is ITypeParameterSymbol);
        foreach (var implemented in type.AllInterfaces)
        {
            if (open
                ? SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, method.ContainingType.OriginalDefinition)
                : SymbolEqualityComparer.Default.Equals(implemented, method.ContainingType))
            {
                // The interface as this type implements it (ISink<int>, not ISink<T>), so the member can be looked up.
                var member = implemented.GetMembers(method.Name).OfType<IMethodSymbol>()
                    .FirstOrDefault(candidate => SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method.OriginalDefinition));
                if (member is not null && type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation)
                {
                    return implementation;
                }
            }
        }

        return null;
    }

    private static IMethodSymbol? OverrideOf(INamedTypeSymbol type, IMethodSymbol abstractMethod)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(abstractMethod.Name).OfType<IMethodSymbol>())
            {
                for (var overridden = member.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, abstractMethod))
                    {
                        return member;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Every named type declared in this compilation, nested ones included; collected once, on first need.</summary>
    private ImmutableArray<INamedTypeSymbol> SourceTypes(CancellationToken cancellationToken)
    {
        if (!_sourceTypes.IsDefault)
        {
            return _sourceTypes;
        }

        var types = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(Compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var container = pending.Pop();
            if (container is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetNamespaceMembers())
                {
                    pending.Push(member);
                }
            }
            else
            {
                types.Add((INamedTypeSymbol)container);
            }

            foreach (var nested in container.GetTypeMembers())
            {
                pending.Push(nested);
            }
        }

        var result = types.ToImmutable();
        ImmutableInterlocked.InterlockedInitialize(ref _sourceTypes, result);
        return _sourceTypes;
    }

    public static IMethodSymbol Implementation(IMethodSymbol method)
    {
        var definition = method.ReducedFrom ?? method;
        definition = definition.OriginalDefinition;
        return definition.PartialImplementationPart ?? definition;
    }

    /// <summary>Whether <paramref name="tree"/> is generated code (by name or by its <c>&lt;auto-generated&gt;</c> header).</summary>
    public bool IsGenerated(SyntaxTree tree)
    {
        if (_generatedTrees.TryGetValue(tree, out var generated))
        {
            return generated;
        }

        generated = ComputeIsGenerated(tree);
        _generatedTrees.TryAdd(tree, generated);
        return generated;
    }

    /// <summary>
    /// Whether the semaphore stored in <paramref name="storage"/> admits one holder: it is created as
    /// <c>new SemaphoreSlim(1, 1)</c> (or <c>new SemaphoreSlim(1)</c>) where it is declared or in a constructor.
    /// </summary>
    public bool IsMutexSemaphore(ISymbol? storage, CancellationToken cancellationToken)
    {
        if (storage is not (IFieldSymbol or IPropertySymbol))
        {
            return false;
        }

        if (_mutexes.TryGetValue(storage, out var mutex))
        {
            return mutex;
        }

        mutex = ComputeIsMutexSemaphore(storage, cancellationToken);
        _mutexes.TryAdd(storage, mutex);
        return mutex;
    }

    private SyntaxNode? BodyOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.Length == 0
            || method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.ExplicitInterfaceImplementation))
        {
            return null;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (IsGenerated(reference.SyntaxTree))
            {
                return null;
            }

            var syntax = reference.GetSyntax(cancellationToken);
            switch (syntax)
            {
                case MethodDeclarationSyntax declaration when declaration.Body is not null || declaration.ExpressionBody is not null:
                case AccessorDeclarationSyntax accessor when accessor.Body is not null || accessor.ExpressionBody is not null:
                case ArrowExpressionClauseSyntax:
                    return syntax;
            }
        }

        return null;
    }

    private static bool ComputeIsGenerated(SyntaxTree tree)
    {
        var path = tree.FilePath ?? string.Empty;
        if (path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".g.i.cs", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!tree.TryGetRoot(out var root))
        {
            root = tree.GetRoot();
        }

        foreach (var trivia in root.GetLeadingTrivia())
        {
            var text = trivia.ToString();
            if (text.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ComputeIsMutexSemaphore(ISymbol storage, CancellationToken cancellationToken)
    {
        foreach (var reference in storage.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var initializer = syntax switch
            {
                VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value,
                _ => null,
            };
            if (initializer is not null)
            {
                return IsOneAtATime(initializer);
            }
        }

        // Not initialized where declared: look for the assignment in the constructors.
        var assigned = false;
        if (storage.ContainingType is { } type)
        {
            foreach (var constructor in type.InstanceConstructors.Concat(type.StaticConstructors))
            {
                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    foreach (var assignment in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>())
                    {
                        var name = assignment.Left switch
                        {
                            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
                            _ => null,
                        };
                        if (name == storage.Name)
                        {
                            if (!IsOneAtATime(assignment.Right))
                            {
                                return false;
                            }

                            assigned = true;
                        }
                    }
                }
            }
        }

        return assigned;
    }

    private static bool IsOneAtATime(ExpressionSyntax value)
    {
        if (value is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 or 2 } arguments })
        {
            return false;
        }

        foreach (var argument in arguments)
        {
            if (argument.Expression is not LiteralExpressionSyntax { Token.ValueText: "1" })
            {
                return false;
            }
        }

        return true;
    }
}
