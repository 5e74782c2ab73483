using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Flows.FuzzTests.Generators;

/// <summary>
/// Syntax-tree-guided mutations of real workflows: each operator finds a node of a kind it understands (an attribute
/// argument, a declared name, a parameter's type, the workflow class) and rewrites its text, so the result stays close
/// to code a user could type. One to three operators per input; a few token-level edits keep the half-typed cases.
/// </summary>
internal static class SyntaxMutator
{
    private static readonly string[] s_flowsAttributes = { "Workflow", "Step", "Parallel", "ParallelForEach", "Retry", "Timeout", "FromStep", "After" };

    /// <summary>Attribute argument values: null, extremes, strings that must be escaped wherever they land.</summary>
    public static readonly string[] ArgumentValues =
    {
        "null", "null!", "default", "default!", "(string)null!", "-1", "0", "1", "-2", "int.MaxValue", "int.MinValue", "2147483647",
        "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "double.Epsilon", "1e308", "-0.0", "0.5", "1.5",
        "\"\"", "\" \"", "\"a\\nb\"", "\"a\\r\\nb\"", "\"line\\u2028sep\"", "\"quote\\\"d\"", "\"back\\\\slash\"", "\"*/\"", "\"-->\"",
        "\"<summary>\"", "\"a&b\"", "\"]]>\"", "\"ünïcødé\"", "\"名前\"", "\"\\0\"", "\"\\t\"", "\"{0}\"", "\"#\"", "\"%%\"",
        "\"end\\\\\"", "@\"multi\nline\"", "@\"q\"\"uote\"", "\"\"\"\nraw \"quoted\"\n\"\"\"", "nameof(Missing)", "nameof(System)",
        "nameof(RunAsync)", "\"RunAsync\"", "\"MermaidDiagram\"", "\"a\" + \"b\"", "\"x\".Length", "(FailurePolicy)7", "(Scheduling)(-1)",
        "(Backoff)9", "typeof(int)", "new[] { typeof(Exception) }", "new System.Type[0]", "new[] { typeof(int) }", "null as System.Type[]",
        "FailurePolicy.FirstSuccess", "FailurePolicy.ContinueOnError", "FailurePolicy.WaitAll", "Scheduling.Dataflow", "Backoff.Exponential",
        "true", "false", "'c'", "1L", "1u", "(int)1.9",
    };

    private static readonly Dictionary<string, string[]> s_namedArguments = new(StringComparer.Ordinal)
    {
        ["Workflow"] = new[] { "Scheduling", "TimeoutMilliseconds" },
        ["Step"] = new[] { "ContinueOnError" },
        ["Parallel"] = new[] { "Failure", "MinSuccessCount", "TimeoutMilliseconds" },
        ["ParallelForEach"] = new[] { "MaxDegreeOfParallelism", "ContinueOnError", "MinSuccessRate", "BatchSize", "DelayBetweenBatchesMilliseconds", "MaxItemsPerSecond" },
        ["Retry"] = new[] { "DelayMilliseconds", "Backoff", "Jitter", "RetryOn" },
        ["Timeout"] = Array.Empty<string>(),
        ["FromStep"] = Array.Empty<string>(),
        ["After"] = Array.Empty<string>(),
    };

    /// <summary>Names: keywords with <c>@</c>, contextual keywords, look-alikes of generated locals and members, unicode.</summary>
    public static readonly string[] Names =
    {
        "@event", "@class", "@default", "@return", "@int", "@string", "@object", "@this", "@base", "@params", "@in", "@out", "@ref", "@operator",
        "@async", "@await", "await", "async", "var", "value", "nameof", "dynamic", "partial", "record", "file", "required", "scoped", "yield",
        "when", "where", "select", "from", "args", "field", "get", "set", "init", "global", "notnull", "unmanaged", "_", "__",
        "__run", "__exception", "__block", "__item", "__observer", "__runToken", "__index", "__task", "__result", "__state", "__timeout",
        "cancellationToken", "runCancellationToken", "control", "flowControl", "timeline", "executionTimeline", "context", "ct", "token",
        "RunAsync", "Run", "MermaidDiagram", "OnStepStarting", "OnStepCompleted", "OnStepFailed", "Durable",
        "Task", "ValueTask", "System", "Flows", "Outcome", "StepContext", "CancellationToken", "Exception", "Action", "Func", "List",
        "Async", "RunAsyncAsync", "StepAsync", "firstSuccess", "ünïcode", "名前", "Ωmega", "a\u0301", "x1", "X1", "Item", "Items", "Rest",
        "ToString", "Equals", "GetHashCode", "GetType", "Deconstruct", "CompareTo", "Item1", "Item2",
    };

    /// <summary>Types a parameter or return type may become.</summary>
    public static readonly string[] Types =
    {
        "dynamic", "object", "object?", "Task<int>?", "Task?", "ValueTask<int>?", "int?", "string?", "string", "int", "long", "decimal", "bool",
        "(int, string)", "(int A, string B)", "(int Item1, string)", "(int, (string, bool))", "ValueTuple<int>", "int[]", "int[][]", "int[,]",
        "string?[]", "List<int>", "List<string?>", "IReadOnlyList<int>", "IReadOnlyList<int>?", "IEnumerable<int>", "IAsyncEnumerable<int>",
        "IAsyncEnumerable<string>?", "Dictionary<string, int>", "Span<int>", "ReadOnlySpan<char>", "int*", "void*", "delegate*<void>", "void",
        "Task", "ValueTask", "Task<int>", "ValueTask<string>", "Task<dynamic>", "Task<object?>", "Task<(int, string)>", "Task<Task<int>>",
        "ValueTask<int?>", "Task<int[]>", "Task<Span<int>>", "Outcome<int>", "Outcome<int>?", "IReadOnlyList<Outcome<int>>", "StepContext",
        "StepContext?", "CancellationToken", "CancellationToken?", "Func<int>", "Action", "Exception", "Type", "System.IO.Stream",
        "Hidden", "Protected", "InternalNested", "PrivateProtected", "Hidden[]", "Task<Hidden>", "IReadOnlyList<Hidden>", "Outcome<Hidden>",
        "RefStruct", "Generic<int>", "Generic<Hidden>", "T", "Task<T>", "IReadOnlyList<T>", "T?", "nint", "nuint", "char", "byte", "float",
        "IAsyncEnumerable<int>[]", "ArraySegment<int>", "Memory<int>", "Lazy<int>", "Nullable<int>", "System.Threading.Tasks.Task<int>",
        "global::System.Int32", "Missing", "Task<Missing>", "int? []", "ref int", "in int", "scoped ReadOnlySpan<int>", "params int[]",
    };

    /// <summary>Nested types the type mutations refer to, written into the workflow class when one is used.</summary>
    private const string NestedTypes =
        "\n    private sealed class Hidden { }\n    protected class Protected { }\n    internal struct InternalNested { }\n"
        + "    private protected record PrivateProtected(int Value);\n    public ref struct RefStruct { }\n    public sealed class Generic<TItem> { }\n";

    /// <summary>Members that collide with what the generator writes, or take its names.</summary>
    public static readonly string[] CollidingMembers =
    {
        "public ValueTask RunAsync(CancellationToken cancellationToken = default) => default;",
        "public Task RunAsync() => Task.CompletedTask;",
        "public void RunAsync(int x) { }",
        "public int RunAsync;",
        "public static string RunAsync => \"\";",
        "public class RunAsync { }",
        "public const string MermaidDiagram = \"mine\";",
        "public string MermaidDiagram() => \"\";",
        "public static int MermaidDiagram { get; }",
        "void OnStepStarting(in StepContext context) { }",
        "public void OnStepStarting(in StepContext context) { }",
        "partial void OnStepStarting(in StepContext context);",
        "partial void OnStepStarting(in StepContext context) { }",
        "partial void OnStepStarting(StepContext context) { }",
        "partial void OnStepStarting(in StepContext context, int extra) { }",
        "public int OnStepStarting;",
        "void OnStepCompleted(in StepContext context, TimeSpan elapsed) { }",
        "partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) { }",
        "partial void OnStepFailed(in StepContext context, Exception exception) { }",
        "void OnStepFailed(in StepContext context, Exception exception) { }",
        "public static void OnStepFailed() { }",
        "private int __run;", "private int __exception;", "private int __block;", "private int __item;", "private int __observer;",
        "private int __runToken;", "private static int cancellationToken;", "private int control;", "private int timeline;",
        "private sealed class Task { }", "private sealed class ValueTask { }", "private sealed class Outcome<T> { }", "private struct StepContext { }",
        "private struct CancellationToken { }", "private static class System { }", "private static class Flows { }", "private static class global { }",
        "private sealed class Exception { }", "private int Durable;", "public class Durable { }", "private static int MaxDegreeOfParallelism;",
        "public ValueTask<int> RunAsync(FlowControl control, CancellationToken cancellationToken = default) => default;",
        "~DESTRUCTOR() { }",
        "public static implicit operator int(THIS w) => 0;",
        "[Step] public int Property => 1;",
        "[Step] public THIS() { }",
        "[Step] static THIS() { }",
        "[Step] public static int operator +(THIS a, THIS b) => 0;",
        "[Step] public event Action? Changed;",
        "[Step] public int Field;",
        "[Step] int System.IComparable.CompareTo(object? other) => 0;",
        "[Step] public extern int External();",
        "[Step] public partial int PartialValue();\n    public partial int PartialValue() => 1;",
        "[Step] public int Local() { return Inner(); [Step] int Inner() => 1; }",
        "[Step] public int WithParams(params int[] values) => values.Length;",
        "[Step] public int WithDefault(int value = 5) => value;",
        "[Step] public int WithArglist(__arglist) => 0;",
        "[Step] public unsafe int Pointer(int* value) => *value;",
        "[Step] public int Scoped(scoped ReadOnlySpan<int> span) => span.Length;",
        "[Step] public ref int ByRef() => ref _slot;\n    private int _slot;",
        "[Step] public static int StaticValue() => 1;",
        "[Step] public async void AsyncVoid() { await System.Threading.Tasks.Task.Yield(); }",
        "[Step] public int Generic<TValue>() => 1;",
        "[Step] public IEnumerable<int> Iterator() { yield return 1; }",
        "[Step] public async IAsyncEnumerable<int> Stream() { await System.Threading.Tasks.Task.Yield(); yield return 1; }",
        "[Step] public abstract int Abstract();",
        "[Step] public virtual int Virtual() => 1;",
        "[Step] public new int GetHashCode() => 1;",
        "[Step] public int ToStringStep([FromStep(nameof(ToString))] string value) => 1;",
    };

    private enum Operator
    {
        ArgumentValue,
        NamedArgument,
        AddAttribute,
        RenameEverywhere,
        RenameDeclaration,
        CaseTwin,
        Retype,
        ClassShape,
        Namespace,
        Collide,
        MethodShape,
        Token,
    }

    private static readonly (Operator Operator, int Weight)[] s_weights =
    {
        (Operator.ArgumentValue, 14), (Operator.NamedArgument, 10), (Operator.AddAttribute, 10), (Operator.RenameEverywhere, 10),
        (Operator.RenameDeclaration, 4), (Operator.CaseTwin, 3), (Operator.Retype, 14), (Operator.ClassShape, 10), (Operator.Namespace, 5),
        (Operator.Collide, 8), (Operator.MethodShape, 7), (Operator.Token, 5),
    };

    /// <summary>One to three mutations of one file of <paramref name="files"/>; the description says which.</summary>
    public static (ImmutableArray<FuzzFile> Files, string Description) Mutate(ImmutableArray<FuzzFile> files, Random random)
    {
        var workflowFiles = files.Select((file, index) => (file, index)).Where(pair => pair.file.Text.Contains("[Workflow", StringComparison.Ordinal)).ToArray();
        var (target, targetIndex) = workflowFiles.Length > 0 ? workflowFiles[random.Next(workflowFiles.Length)] : (files[0], 0);
        var text = target.Text;
        var applied = new List<string>();
        var extraFiles = new List<FuzzFile>();
        var count = random.Next(1, 4);
        for (var attempt = 0; attempt < 12 && applied.Count < count; attempt++)
        {
            var op = Pick(random);
            var result = Apply(op, text, random, extraFiles, target.Path);
            if (result is { } r && r.Text != text)
            {
                text = r.Text;
                applied.Add(r.Description);
            }
        }

        var builder = files.ToBuilder();
        builder[targetIndex] = target with { Text = text };
        builder.AddRange(extraFiles);
        return (builder.ToImmutable(), $"{target.Path}: " + string.Join("; ", applied));
    }

    private static Operator Pick(Random random)
    {
        var total = s_weights.Sum(w => w.Weight);
        var roll = random.Next(total);
        foreach (var (op, weight) in s_weights)
        {
            if ((roll -= weight) < 0)
            {
                return op;
            }
        }

        return Operator.Token;
    }

    private static (string Text, string Description)? Apply(Operator op, string text, Random random, List<FuzzFile> extraFiles, string path)
    {
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var workflows = root.DescendantNodes().OfType<TypeDeclarationSyntax>().Where(IsWorkflow).ToArray();
        var workflow = workflows.Length > 0 ? workflows[random.Next(workflows.Length)] : root.DescendantNodes().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        if (workflow is null)
        {
            return null;
        }

        var methods = workflow.Members.OfType<MethodDeclarationSyntax>().ToArray();
        switch (op)
        {
            case Operator.ArgumentValue:
            {
                var arguments = workflow.DescendantNodesAndSelf().OfType<AttributeSyntax>().Where(IsFlowsAttribute).SelectMany(a => a.ArgumentList?.Arguments ?? default(SeparatedSyntaxList<AttributeArgumentSyntax>)).ToArray();
                if (arguments.Length == 0)
                {
                    return null;
                }

                var argument = arguments[random.Next(arguments.Length)];
                var value = ArgumentValues[random.Next(ArgumentValues.Length)];
                var owner = ShortName((AttributeSyntax)argument.Parent!.Parent!);
                return (Replace(text, argument.Expression.Span, value), $"[{owner}] argument '{argument}' := {Show(value)}");
            }

            case Operator.NamedArgument:
            {
                var attributes = workflow.DescendantNodesAndSelf().OfType<AttributeSyntax>().Where(IsFlowsAttribute).ToArray();
                if (attributes.Length == 0)
                {
                    return null;
                }

                var attribute = attributes[random.Next(attributes.Length)];
                var names = s_namedArguments[ShortName(attribute)];
                if (names.Length == 0)
                {
                    return null;
                }

                var name = names[random.Next(names.Length)];
                var value = ArgumentValues[random.Next(ArgumentValues.Length)];
                var insertion = attribute.ArgumentList is { } list
                    ? (list.CloseParenToken.SpanStart, (list.Arguments.Count > 0 ? ", " : string.Empty) + $"{name} = {value}")
                    : (attribute.Span.End, $"({name} = {value})");
                return (Replace(text, new TextSpan(insertion.Item1, 0), insertion.Item2), $"[{ShortName(attribute)}] {name} = {Show(value)}");
            }

            case Operator.AddAttribute:
            {
                if (methods.Length == 0)
                {
                    return null;
                }

                var method = methods[random.Next(methods.Length)];
                var other = methods[random.Next(methods.Length)].Identifier.Text;
                var value = random.Next(3) == 0 ? ArgumentValues[random.Next(ArgumentValues.Length)] : $"nameof({other})";
                var groupValue = random.Next(3) == 0 ? ArgumentValues[random.Next(ArgumentValues.Length)] : "\"" + (random.Next(2) == 0 ? "g" : "checks") + "\"";
                var number = ArgumentValues[random.Next(ArgumentValues.Length)];
                if (random.Next(4) == 0 && method.ParameterList.Parameters.Count > 0)
                {
                    var parameter = method.ParameterList.Parameters[random.Next(method.ParameterList.Parameters.Count)];
                    return (Replace(text, new TextSpan(parameter.SpanStart, 0), $"[FromStep({value})] "), $"[FromStep({Show(value)})] on {method.Identifier.Text}({parameter.Identifier.Text})");
                }

                var attributeText = random.Next(9) switch
                {
                    0 => $"[Retry({number})]",
                    1 => $"[Timeout({number})]",
                    2 => $"[After({value})]",
                    3 => $"[Parallel({groupValue})]",
                    4 => "[Step(ContinueOnError = true)]",
                    5 => $"[ParallelForEach({value})]",
                    6 => "[Step]",
                    7 => $"[Parallel({groupValue}, Failure = FailurePolicy.{(FailurePolicyName)random.Next(4)})]",
                    _ => $"[After({value}), After({value})]",
                };
                return (Replace(text, new TextSpan(method.SpanStart, 0), attributeText + "\n    "), $"{attributeText} on {method.Identifier.Text}");
            }

            case Operator.RenameEverywhere:
            case Operator.RenameDeclaration:
            {
                var declared = DeclaredNames(workflow, root).ToArray();
                if (declared.Length == 0)
                {
                    return null;
                }

                var (token, kind) = declared[random.Next(declared.Length)];
                var name = Names[random.Next(Names.Length)];
                if (op == Operator.RenameDeclaration)
                {
                    return (Replace(text, token.Span, name), $"rename {kind} declaration '{token.Text}' to {name}");
                }

                var spans = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == token.ValueText).Select(t => t.Span).ToArray();
                return (ReplaceAll(text, spans, name), $"rename {kind} '{token.Text}' to {name} everywhere ({spans.Length}x)");
            }

            case Operator.CaseTwin:
            {
                // A second step whose name differs from an existing one only in case, or a parameter named like one.
                if (methods.Length == 0)
                {
                    return null;
                }

                var method = methods[random.Next(methods.Length)];
                var twin = method.Identifier.ValueText.ToLowerInvariant() == method.Identifier.ValueText ? method.Identifier.ValueText.ToUpperInvariant() : method.Identifier.ValueText.ToLowerInvariant();
                var suffix = random.Next(2) == 0 ? "Async" : string.Empty;
                var copy = method.WithIdentifier(SyntaxFactory.Identifier(Escape(twin + suffix))).ToFullString();
                return (Replace(text, new TextSpan(method.FullSpan.End, 0), copy), $"case twin '{twin}{suffix}' of {method.Identifier.Text}");
            }

            case Operator.Retype:
            {
                var candidates = methods.SelectMany(m => m.ParameterList.Parameters.Where(p => p.Type is not null).Select(p => p.Type!).Prepend(m.ReturnType)).ToArray();
                if (candidates.Length == 0)
                {
                    return null;
                }

                var type = candidates[random.Next(candidates.Length)];
                var replacement = Types[random.Next(Types.Length)];
                var changed = Replace(text, type.Span, replacement);
                var description = $"type '{type}' := {replacement}";
                if (replacement.Contains("Hidden", StringComparison.Ordinal) || replacement.Contains("Protected", StringComparison.Ordinal) || replacement.Contains("Nested", StringComparison.Ordinal) || replacement.Contains("RefStruct", StringComparison.Ordinal) || replacement.Contains("Generic<", StringComparison.Ordinal))
                {
                    changed = InsertMembers(changed, NestedTypes);
                }

                if (replacement.Contains('*', StringComparison.Ordinal))
                {
                    changed = AddModifier(changed, "unsafe");
                }

                if (replacement.Contains('T', StringComparison.Ordinal) && (replacement == "T" || replacement.Contains("<T>", StringComparison.Ordinal) || replacement == "T?"))
                {
                    changed = MakeGeneric(changed, "<T>");
                    description += " (workflow made generic)";
                }

                return (changed, description);
            }

            case Operator.ClassShape:
            {
                var choice = random.Next(16);
                var declaration = FirstWorkflow(root);
                if (declaration is null)
                {
                    return null;
                }

                switch (choice)
                {
                    case 0:
                        return declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                            ? (Replace(text, declaration.Modifiers.First(m => m.IsKind(SyntaxKind.PartialKeyword)).Span, string.Empty), "remove 'partial' from the workflow")
                            : null;
                    case 1:
                        return (AddModifier(text, new[] { "static", "sealed", "abstract", "unsafe", "file", "new", "internal", "private", "protected", "public", "readonly", "ref" }[random.Next(12)]), "add a modifier") is var (t, d) ? (t, d + $" ({FirstWorkflow(CSharpSyntaxTree.ParseText(t).GetRoot())?.Modifiers})") : null;
                    case 2:
                    {
                        var keyword = new[] { "record", "record class", "record struct", "struct", "interface", "readonly record struct", "ref struct" }[random.Next(7)];
                        return (Replace(text, declaration.Keyword.Span, keyword), $"workflow declared as '{keyword}'");
                    }

                    case 3:
                    {
                        var parameters = new[] { "<T>", "<T> where T : class", "<TIn, TOut>", "<T> where T : notnull", "<@event>", "<T> where T : struct" }[random.Next(6)];
                        return (MakeGeneric(text, parameters), $"workflow made generic {parameters}");
                    }

                    case 4:
                    case 5:
                    {
                        var outer = new[]
                        {
                            "public partial class Outer", "public class Outer", "internal partial struct Outer", "public partial record Outer",
                            "public static partial class Outer", "public partial class Outer<TOuter>", "public partial interface IOuter",
                            "public partial record struct Outer", "file partial class Outer", "public partial class @class",
                        }[random.Next(10)];
                        var wrapped = text.Substring(0, declaration.FullSpan.Start) + outer + "\n{\n" + declaration.ToFullString() + "\n}\n" + text.Substring(declaration.FullSpan.End);
                        return (wrapped, $"workflow nested in '{outer}'");
                    }

                    case 6:
                    case 7:
                    {
                        // Split the members into two partial declarations, in this file or another one.
                        if (declaration.Members.Count < 2)
                        {
                            return null;
                        }

                        var at = random.Next(1, declaration.Members.Count);
                        var moved = declaration.Members.Skip(at).ToArray();
                        var kept = declaration.RemoveNodes(moved, SyntaxRemoveOptions.KeepNoTrivia)!;
                        var header = $"{(declaration.Modifiers.Any(SyntaxKind.PartialKeyword) ? string.Empty : "partial ")}{declaration.Modifiers} {declaration.Keyword.Text} {declaration.Identifier.Text}{declaration.TypeParameterList}";
                        var second = "\n" + header.Trim() + "\n{\n" + string.Concat(moved.Select(m => m.ToFullString())) + "\n}\n";
                        if (choice == 7)
                        {
                            var ns = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
                            var usings = string.Concat(root.DescendantNodes().OfType<UsingDirectiveSyntax>().Select(u => u.ToFullString()));
                            var containers = declaration.Ancestors().OfType<TypeDeclarationSyntax>().Reverse().ToArray();
                            var open = string.Concat(containers.Select(c => $"{c.Modifiers} {c.Keyword.Text} {c.Identifier.Text}{c.TypeParameterList} {{\n"));
                            var close = new string('}', containers.Length);
                            extraFiles.Add(new FuzzFile("Second." + path, usings + (ns is null ? string.Empty : $"namespace {ns};\n") + open + second + close + "\n"));
                            return (Replace(text, declaration.FullSpan, kept.ToFullString()), $"members from #{at} moved to a partial declaration in another file");
                        }

                        return (Replace(text, declaration.FullSpan, kept.ToFullString() + second), $"members from #{at} moved to a second partial declaration");
                    }

                    case 8:
                        // Two workflows of the same name in different namespaces / a duplicate in the same file.
                        return (text + "\nnamespace Other.@event\n{\n    using Flows;\n" + declaration.ToFullString() + "\n}\n", "a copy of the workflow in namespace Other.@event");
                    case 9:
                    {
                        var name = Escape(Names[random.Next(Names.Length)].TrimStart('@'));
                        return (Replace(text, declaration.Identifier.Span, name), $"workflow renamed to {name} (declaration only)");
                    }
                    case 10:
                    {
                        // Several [Workflow] attributes, or one on a non-class.
                        var extra = new[] { "[Workflow]", "[Workflow, Workflow]", "[Workflow(Scheduling = Scheduling.Dataflow)]", "[Flows.Workflow()]", "[global::Flows.WorkflowAttribute]", "[Workflow(Durable = true)]" }[random.Next(6)];
                        return (Replace(text, new TextSpan(declaration.SpanStart, 0), extra + "\n"), $"extra attribute {extra}");
                    }

                    case 11:
                        return (text + "\n[Flows.Workflow] public partial class Empty { }\n[Flows.Workflow] public partial struct NotAClass { }\n[Flows.Workflow] public partial interface INotAClass { }\n[Flows.Workflow] public enum NotAClassEnum { A }\n", "workflow attributes on an empty class, a struct, an interface, an enum");
                    case 12:
                        return (text + "\npublic partial class Derived" + declaration.Identifier.Text + " : " + declaration.Identifier.Text + declaration.TypeParameterList?.ToString().Replace("<", "<int", StringComparison.Ordinal) + " { }\n", "a derived class");
                    case 13:
                        return (InsertMembers(text, "\n    [Workflow] public partial class InnerWorkflow\n    {\n        [Step] public int Inner() => 1;\n    }\n"), "a workflow nested in the workflow");
                    case 14:
                        return (Replace(text, declaration.Keyword.Span, "static partial class").Replace("partial static partial", "static partial", StringComparison.Ordinal).Replace("partial partial", "partial", StringComparison.Ordinal), "workflow made static");
                    default:
                        return (Replace(text, new TextSpan(declaration.SpanStart, 0), "[System.Obsolete(\"old \\\"one\\\"\")]\n"), "workflow marked [Obsolete]");
                }
            }

            case Operator.Namespace:
            {
                var ns = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
                var choice = random.Next(5);
                if (ns is null)
                {
                    return (Replace(text, new TextSpan(FirstTypeStart(root), 0), "namespace @event.@class;\n"), "file-scoped namespace @event.@class added");
                }

                switch (choice)
                {
                    case 0:
                    {
                        var name = new[] { "@event", "A.@class.B", "Flows", "System", "Flows.Generated", "ünï.名前", "@namespace.@int", "Task", "Global", "A.B.C.D.E.F" }[random.Next(10)];
                        return (Replace(text, ns.Name.Span, name), $"namespace := {name}");
                    }

                    case 1:
                        if (ns is FileScopedNamespaceDeclarationSyntax fileScoped)
                        {
                            var rest = text.Substring(fileScoped.SemicolonToken.Span.End);
                            return (text.Substring(0, fileScoped.SemicolonToken.SpanStart) + "\n{" + rest + "\n}\n", "file-scoped namespace made block-scoped");
                        }
                        else
                        {
                            var block = (NamespaceDeclarationSyntax)ns;
                            var body = text.Substring(block.OpenBraceToken.Span.End, block.CloseBraceToken.SpanStart - block.OpenBraceToken.Span.End);
                            return (text.Substring(0, block.Name.Span.End) + ";\n" + body + text.Substring(block.CloseBraceToken.Span.End), "block namespace made file-scoped");
                        }

                    case 2:
                    {
                        // The global namespace.
                        if (ns is FileScopedNamespaceDeclarationSyntax scoped)
                        {
                            return (Replace(text, new TextSpan(scoped.SpanStart, scoped.SemicolonToken.Span.End - scoped.SpanStart), string.Empty), "moved to the global namespace");
                        }

                        var blockScoped = (NamespaceDeclarationSyntax)ns;
                        var content = text.Substring(blockScoped.OpenBraceToken.Span.End, blockScoped.CloseBraceToken.SpanStart - blockScoped.OpenBraceToken.Span.End);
                        return (text.Substring(0, blockScoped.SpanStart) + content + text.Substring(blockScoped.CloseBraceToken.Span.End), "moved to the global namespace");
                    }

                    case 3:
                        return (Replace(text, ns.Name.Span, ns.Name + ".Inner.@event"), "namespace nested deeper with a keyword");
                    default:
                        return (Replace(text, ns.Name.Span, ns.Name.ToString().ToUpperInvariant()), "namespace upper-cased");
                }
            }

            case Operator.Collide:
            {
                var member = CollidingMembers[random.Next(CollidingMembers.Length)].Replace("THIS", workflow.Identifier.Text, StringComparison.Ordinal).Replace("DESTRUCTOR", workflow.Identifier.Text, StringComparison.Ordinal);
                return (InsertMembers(text, "\n    " + member + "\n", workflow), $"member '{member}'");
            }

            case Operator.MethodShape:
            {
                if (methods.Length == 0)
                {
                    return null;
                }

                var method = methods[random.Next(methods.Length)];
                switch (random.Next(9))
                {
                    case 0:
                        return method.Modifiers.Any(SyntaxKind.StaticKeyword)
                            ? (Replace(text, method.Modifiers.First(m => m.IsKind(SyntaxKind.StaticKeyword)).Span, string.Empty), $"{method.Identifier.Text} made instance")
                            : (Replace(text, new TextSpan(method.ReturnType.SpanStart, 0), "static "), $"{method.Identifier.Text} made static");
                    case 1:
                        return (Replace(text, new TextSpan(method.ReturnType.SpanStart, 0), "async "), $"{method.Identifier.Text} made async");
                    case 2:
                        return (Replace(text, new TextSpan(method.Identifier.Span.End, 0), "<TValue>"), $"{method.Identifier.Text} made generic");
                    case 3:
                    {
                        var parameter = new[] { "ref int r", "out int o", "in int i", "params int[] rest", "int optional = 3", "string? maybe = null", "this int self", "CancellationToken second", "StepContext context2", "CancellationToken ct2 = default", "int @event", "dynamic d", "int __item", "FlowControl control", "ExecutionTimeline timeline" }[random.Next(15)];
                        var list = method.ParameterList;
                        var at = list.Parameters.Count == 0 ? list.CloseParenToken.SpanStart : random.Next(2) == 0 ? list.Parameters[0].SpanStart : list.CloseParenToken.SpanStart;
                        var insert = list.Parameters.Count == 0 ? parameter : at == list.CloseParenToken.SpanStart ? ", " + parameter : parameter + ", ";
                        return (Replace(text, new TextSpan(at, 0), insert), $"parameter '{parameter}' added to {method.Identifier.Text}");
                    }

                    case 4:
                        return method.ParameterList.Parameters.Count == 0 ? null : (Replace(text, method.ParameterList.Span, "()"), $"parameters of {method.Identifier.Text} removed");
                    case 5:
                    {
                        var accessibility = new[] { "private", "protected", "internal", "private protected", "protected internal", "public" }[random.Next(6)];
                        var existing = method.Modifiers.Where(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.InternalKeyword)).ToArray();
                        var span = existing.Length == 0 ? new TextSpan(method.ReturnType.SpanStart, 0) : TextSpan.FromBounds(existing[0].SpanStart, existing[^1].Span.End);
                        return (Replace(text, span, accessibility + (existing.Length == 0 ? " " : string.Empty)), $"{method.Identifier.Text} made {accessibility}");
                    }

                    case 6:
                        // A copy with the same name: an overload.
                        return (Replace(text, new TextSpan(method.FullSpan.End, 0), method.WithParameterList(SyntaxFactory.ParseParameterList("(long overload)")).ToFullString()), $"overload of {method.Identifier.Text}");
                    case 7:
                        return (Replace(text, method.Span, string.Empty), $"{method.Identifier.Text} deleted");
                    default:
                        return (Replace(text, new TextSpan(method.SpanStart, 0), "[System.Obsolete] "), $"{method.Identifier.Text} marked [Obsolete]");
                }
            }

            default:
            {
                var tokens = root.DescendantTokens().ToArray();
                if (tokens.Length < 3)
                {
                    return null;
                }

                var a = tokens[random.Next(tokens.Length)];
                var b = tokens[random.Next(tokens.Length)];
                return random.Next(4) switch
                {
                    0 => (Replace(text, a.Span, string.Empty), $"delete token '{a}'"),
                    1 => (Replace(text, new TextSpan(a.Span.End, 0), " " + a.Text), $"duplicate token '{a}'"),
                    2 => (Replace(text, new TextSpan(a.SpanStart, 0), b.Text + " "), $"copy token '{b}' before '{a}'"),
                    _ => (text.Substring(0, random.Next(text.Length)), "truncated"),
                };
            }
        }
    }

    private enum FailurePolicyName
    {
        FailFast,
        WaitAll,
        ContinueOnError,
        FirstSuccess,
    }

    private static bool IsWorkflow(TypeDeclarationSyntax type) =>
        type.AttributeLists.SelectMany(list => list.Attributes).Any(a => ShortName(a) == "Workflow");

    private static bool IsFlowsAttribute(AttributeSyntax attribute) => s_flowsAttributes.Contains(ShortName(attribute));

    private static string ShortName(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => attribute.Name.ToString(),
        };
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private static TypeDeclarationSyntax? FirstWorkflow(SyntaxNode root) =>
        root.DescendantNodes().OfType<TypeDeclarationSyntax>().FirstOrDefault(IsWorkflow);

    private static int FirstTypeStart(SyntaxNode root) =>
        root.DescendantNodes().OfType<MemberDeclarationSyntax>().FirstOrDefault()?.FullSpan.Start ?? root.FullSpan.End;

    /// <summary>Names declared in or around the workflow: its type, methods, parameters, type parameters, and the namespace's last part.</summary>
    private static IEnumerable<(SyntaxToken Token, string Kind)> DeclaredNames(TypeDeclarationSyntax workflow, SyntaxNode root)
    {
        yield return (workflow.Identifier, "workflow");
        foreach (var method in workflow.Members.OfType<MethodDeclarationSyntax>())
        {
            yield return (method.Identifier, "step");
            foreach (var parameter in method.ParameterList.Parameters)
            {
                yield return (parameter.Identifier, "parameter");
            }
        }

        foreach (var parameter in workflow.TypeParameterList?.Parameters ?? default)
        {
            yield return (parameter.Identifier, "type parameter");
        }

        foreach (var type in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t != workflow))
        {
            yield return (type.Identifier, "type");
        }

        if (root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name is { } ns)
        {
            var last = ns.DescendantTokens().LastOrDefault(t => t.IsKind(SyntaxKind.IdentifierToken));
            if (last != default)
            {
                yield return (last, "namespace");
            }
        }
    }

    private static string Replace(string text, TextSpan span, string replacement) =>
        text.Substring(0, span.Start) + replacement + text.Substring(span.End);

    private static string ReplaceAll(string text, TextSpan[] spans, string replacement)
    {
        var builder = new StringBuilder(text);
        foreach (var span in spans.OrderByDescending(s => s.Start))
        {
            builder.Remove(span.Start, span.Length).Insert(span.Start, replacement);
        }

        return builder.ToString();
    }

    /// <summary>Inserts text right after the opening brace of the (first) workflow.</summary>
    private static string InsertMembers(string text, string members, TypeDeclarationSyntax? workflow = null)
    {
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var target = workflow is null ? FirstWorkflow(root) : root.DescendantNodes().OfType<TypeDeclarationSyntax>().FirstOrDefault(t => t.Identifier.ValueText == workflow.Identifier.ValueText && IsWorkflow(t));
        if (target is null || target.OpenBraceToken.IsMissing)
        {
            return text;
        }

        return Replace(text, new TextSpan(target.OpenBraceToken.Span.End, 0), members);
    }

    private static string AddModifier(string text, string modifier)
    {
        var declaration = FirstWorkflow(CSharpSyntaxTree.ParseText(text).GetRoot());
        if (declaration is null || declaration.Modifiers.Any(m => m.Text == modifier))
        {
            return text;
        }

        var at = declaration.Modifiers.Count > 0 ? declaration.Modifiers[0].SpanStart : declaration.Keyword.SpanStart;
        return Replace(text, new TextSpan(at, 0), modifier + " ");
    }

    private static string MakeGeneric(string text, string parameters)
    {
        var declaration = FirstWorkflow(CSharpSyntaxTree.ParseText(text).GetRoot());
        if (declaration is null || declaration.TypeParameterList is not null)
        {
            return text;
        }

        var where = parameters.IndexOf(" where", StringComparison.Ordinal);
        var list = where < 0 ? parameters : parameters.Substring(0, where);
        var constraint = where < 0 ? string.Empty : parameters.Substring(where);
        var withList = Replace(text, new TextSpan(declaration.Identifier.Span.End, 0), list);
        if (constraint.Length == 0)
        {
            return withList;
        }

        var again = FirstWorkflow(CSharpSyntaxTree.ParseText(withList).GetRoot())!;
        var at = again.BaseList?.Span.End ?? again.TypeParameterList!.Span.End;
        return Replace(withList, new TextSpan(at, 0), constraint);
    }

    private static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string Show(string value) => value.Replace("\n", "\\n", StringComparison.Ordinal);
}
