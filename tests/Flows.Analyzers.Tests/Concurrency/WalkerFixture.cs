using System.Collections.Immutable;
using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// One real compilation (the .NET 8 reference assemblies and Flows.Abstractions) for testing the race walker's parts
/// directly: the method symbols and bodies the walker would see, and the <see cref="KnownSymbols"/> and
/// <see cref="SummaryCache"/> it would use. The source must compile without errors.
/// </summary>
internal sealed class WalkerFixture
{
    private const string Usings = """
        using Flows;
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    private WalkerFixture(CSharpCompilation compilation)
    {
        Compilation = compilation;
        Symbols = new KnownSymbols(compilation, compilation.GetTypeByMetadataName("Flows.WorkflowAttribute")!);
        Cache = new SummaryCache(compilation, Symbols);
    }

    public CSharpCompilation Compilation { get; }

    public KnownSymbols Symbols { get; }

    public SummaryCache Cache { get; }

    /// <summary>Compiles <paramref name="source"/> (with common usings in front; more files after it) and fails on any compiler error.</summary>
    public static WalkerFixture Compile(string source, params (string Path, string Text)[] moreFiles)
    {
        var trees = new[] { CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(LanguageVersion.Latest), path: "Test.cs") }
            .Concat(moreFiles.Select(file => CSharpSyntaxTree.ParseText(Usings + file.Text, new CSharpParseOptions(LanguageVersion.Latest), path: file.Path)));
        var compilation = CSharpCompilation.Create(
            "WalkerTests",
            trees,
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The test source does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        return new WalkerFixture(compilation);
    }

    /// <summary>The method <c>Type.Method</c> (the only one of that name), or an accessor <c>Type.get_P</c>.</summary>
    public IMethodSymbol Method(string typeAndMethod)
    {
        var dot = typeAndMethod.LastIndexOf('.');
        var type = Compilation.GetTypeByMetadataName(typeAndMethod[..dot]) ?? throw new InvalidOperationException($"No type {typeAndMethod[..dot]}.");
        return type.GetMembers(typeAndMethod[(dot + 1)..]).OfType<IMethodSymbol>().Single();
    }

    /// <summary>The operations of <paramref name="method"/>'s body, as the summary cache binds them (rooted at the declaration).</summary>
    public IOperation Body(IMethodSymbol method)
    {
        var syntax = method.DeclaringSyntaxReferences.Single().GetSyntax();
        return Cache.SemanticModelOf(syntax.SyntaxTree).GetOperation(syntax)
            ?? throw new InvalidOperationException($"{method.Name} has no body operation ({syntax.GetType().Name}).");
    }

    /// <summary>A path resolver for <paramref name="method"/>, with the locals of its body.</summary>
    public PathResolver Paths(IMethodSymbol method) => new(method, Symbols, LocalValues.Of(Body(method)));

    /// <summary>What a walk of <paramref name="method"/> at the step's own depth sees of its callees.</summary>
    public Callees Callees(int depth = 0) =>
        new(Cache, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), depth, CancellationToken.None);

    /// <summary>
    /// The operation of type <typeparamref name="T"/> in <paramref name="root"/> whose source text is <paramref name="text"/>;
    /// with several, the one at <paramref name="occurrence"/> in source order.
    /// </summary>
    public static T Find<T>(IOperation root, string text, int occurrence = 0)
        where T : IOperation
    {
        var found = root.DescendantsAndSelf().OfType<T>().Where(o => o.Syntax.ToString() == text).OrderBy(o => o.Syntax.SpanStart).ToArray();
        Assert.True(found.Length > occurrence, $"No {typeof(T).Name} '{text}' (occurrence {occurrence}) in the body; found {found.Length}.");
        return found[occurrence];
    }

    /// <summary>The local <paramref name="name"/> declared in <paramref name="root"/>.</summary>
    public static ILocalSymbol Local(IOperation root, string name) =>
        root.DescendantsAndSelf().OfType<IVariableDeclaratorOperation>().Select(d => d.Symbol).First(l => l.Name == name);

    /// <summary>The path as code names it, with its root kind: <c>This:_a.b</c>, <c>Local:t</c>.</summary>
    public static string Show(AccessPath? path) => path?.ToString() ?? "(none)";
}
