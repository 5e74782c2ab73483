using System.Text;

namespace Flows.Analyzers.Tests.CodeFixes;

/// <summary>One generated input: its files, the diagnostic it is about, and whether a fix must be offered for it.</summary>
/// <param name="FixableMessage">When set, only the target diagnostics whose message contains it must be offered a fix.</param>
internal sealed record GeneratedCase(string Description, string[] Sources, string TargetId, bool ExpectFix, string? FixableMessage = null);

/// <summary>
/// Writes workflows that trigger one fixable diagnostic each (FLOW001, 004, 005, 008, 011), varying what the fixes
/// see: names (keywords with <c>@</c>, unicode, names like generated locals, <c>Async</c> suffixes), types (predefined,
/// plain, qualified, <c>global::</c>, aliases, nested, generic, nullable, arrays, tuples, keyword-named), class shapes
/// (no, block or file-scoped namespace, a namespace that hides <c>System</c>, containing classes, static classes,
/// structs, records and generic types, several partial declarations in several files) and attribute spellings
/// (<c>[Step, Parallel("g")]</c>, separate lists, <c>ParallelAttribute</c>, <c>Flows.Parallel</c>, <c>global::</c>, an
/// alias, options written on any member), with and without the usings.
/// Every input is otherwise clean: the target diagnostic is its only error.
/// </summary>
internal sealed class WorkflowVariants
{
    private static readonly string[] s_stepNames =
    {
        "Load", "Fetch", "Compute", "Größe", "Ünïcode", "数据", "@checked", "@event", "@class", "record", "Value", "Result",
        "Outcome", "_1", "runToken", "_flows", "cancellationToken", "control", "Ⅻ",
    };

    private static readonly string[] s_tokenNames = { "ct", "cancellationToken", "@checked", "@event", "token", "数据", "value" };

    private static readonly string[] s_groupNames = { "g", "checks", "数据", "class", "a b", "__group" };

    private readonly Random _random;

    public WorkflowVariants(int seed) => _random = new Random(seed);

    public GeneratedCase Next(int index) => (index % 5) switch
    {
        0 => BlockingCall(),
        1 => NotPartial(),
        2 => AsyncVoid(),
        3 => OutcomeRequired(),
        _ => DependentParallelSteps(),
    };

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>The shape around the workflow: usings, namespace, containing types, spellings.</summary>
    private sealed class Shape
    {
        public bool UsingSystem;
        public bool UsingFlows;
        public bool UsingModels;
        public string? Namespace;
        public bool FileScoped;
        public List<string> Containers = new();
        public List<string> Aliases = new();
        public string WorkflowHead = "public partial class Checkout";
        public string WorkflowArguments = string.Empty;
        public bool SecondDeclaration;
        public List<string> Description = new();

        public string Task => UsingSystem ? "Task" : "global::System.Threading.Tasks.Task";

        public string Token => UsingSystem ? "CancellationToken" : "global::System.Threading.CancellationToken";

        public string Thread => UsingSystem ? "Thread" : "global::System.Threading.Thread";

        public string Func => UsingSystem ? "Func" : "global::System.Func";
    }

    private Shape NewShape(bool containersPartial = true)
    {
        var shape = new Shape
        {
            UsingSystem = Chance(0.7),
            UsingFlows = Chance(0.75),
            UsingModels = Chance(0.6),
        };
        var ns = _random.Next(5);
        shape.Namespace = ns switch { 0 => null, 1 => "Shop.App", 2 => "Shop.System", 3 => "Shop.Flows", _ => "Größe.数据" };
        shape.FileScoped = shape.Namespace is not null && Chance(0.5);
        var containers = Pick(0, 0, 1, 1, 2);
        for (var i = 0; i < containers; i++)
        {
            var kind = Pick("public partial class Outer{0}", "public static partial class Host{0}", "internal partial struct Holder{0}", "public partial record Rec{0}", "public partial record struct Pair{0}", "public partial class Gen{0}<T>", "public partial interface IHost{0}");
            var head = string.Format(System.Globalization.CultureInfo.InvariantCulture, kind, i);
            if (!containersPartial)
            {
                head = head.Replace("partial ", string.Empty, StringComparison.Ordinal);
            }

            shape.Containers.Add(head);
        }

        shape.WorkflowHead = Pick("public partial class Checkout", "internal sealed partial class Checkout", "partial class Checkout", "public partial class Checkout<TItem>", "public abstract partial class Checkout");
        if (Chance(0.15))
        {
            shape.WorkflowArguments = "(Scheduling = " + Flows(shape, "Scheduling") + ".Dataflow)";
        }

        // A second declaration of the workflow in another file needs every type around it partial.
        shape.SecondDeclaration = containersPartial && Chance(0.25);
        shape.Description.Add($"ns={shape.Namespace ?? "-"}{(shape.FileScoped ? ";" : "{}")} containers=[{string.Join(", ", shape.Containers)}] {shape.WorkflowHead} usings={(shape.UsingSystem ? "S" : "")}{(shape.UsingFlows ? "F" : "")}{(shape.UsingModels ? "M" : "")}");
        return shape;
    }

    /// <summary>A Flows type or attribute as this file may spell it.</summary>
    private string Flows(Shape shape, string name)
    {
        if (shape.UsingFlows && Chance(0.7))
        {
            return name;
        }

        // "Flows." alone would mean Shop.Flows inside any Shop namespace.
        return shape.Namespace?.StartsWith("Shop", StringComparison.Ordinal) == true || Chance(0.5) ? "global::Flows." + name : "Flows." + name;
    }

    private string Attribute(Shape shape, string name, string arguments = "")
    {
        var spelled = Flows(shape, Chance(0.25) ? name + "Attribute" : name);
        return spelled + arguments;
    }

    // ---- types ------------------------------------------------------------------------------------------------

    /// <param name="Key">Equal for two spellings of one type.</param>
    private sealed record TypeSpec(string Spelling, string Key, bool IsReference, bool IsNullable);

    private TypeSpec RandomType(Shape shape, int depth = 0)
    {
        var models = shape.UsingModels ? string.Empty : Pick("global::Shop.Models.", "Shop.Models.");
        var generic = shape.UsingSystem ? string.Empty : "global::System.Collections.Generic.";
        var choice = depth >= 2 ? _random.Next(7) : _random.Next(14);
        switch (choice)
        {
            case 0: return new TypeSpec("int", "int", false, false);
            case 1: return new TypeSpec(shape.UsingSystem ? Pick("string", "String") : "string", "string", true, false);
            case 2: return new TypeSpec(models + "Line", "Line", true, false);
            case 3:
                if (!shape.Aliases.Contains("using L = global::Shop.Models.Line;"))
                {
                    shape.Aliases.Add("using L = global::Shop.Models.Line;");
                }

                return new TypeSpec("L", "Line", true, false);
            case 4: return new TypeSpec(models + "Holder.Inner", "Holder.Inner", true, false);
            case 5: return new TypeSpec(models + "@event", "event", true, false);
            case 6: return new TypeSpec(models + "Point", "Point", false, false);
            case 7:
            {
                var inner = RandomType(shape, depth + 1);
                return inner.IsNullable ? inner : new TypeSpec(inner.Spelling + "?", inner.Key + "?", inner.IsReference, true);
            }

            case 8:
            {
                var inner = RandomType(shape, depth + 1);
                return new TypeSpec(inner.Spelling + "[]", inner.Key + "[]", true, false);
            }

            case 9:
            {
                var inner = RandomType(shape, depth + 1);
                return new TypeSpec(generic + "List<" + inner.Spelling + ">", "List<" + inner.Key + ">", true, false);
            }

            case 10:
            {
                var inner = RandomType(shape, depth + 1);
                return new TypeSpec(models + "Box<" + inner.Spelling + ">", "Box<" + inner.Key + ">", true, false);
            }

            case 11:
            {
                var first = RandomType(shape, depth + 1);
                var second = RandomType(shape, depth + 1);
                return new TypeSpec($"({first.Spelling} A, {second.Spelling} @class)", $"({first.Key},{second.Key})", false, false);
            }

            case 12:
            {
                var inner = RandomType(shape, depth + 1);
                return new TypeSpec(generic + "Dictionary<string, " + inner.Spelling + ">", "Dictionary<string," + inner.Key + ">", true, false);
            }

            default:
            {
                var predefined = Pick("decimal", "bool", "long");
                return new TypeSpec(predefined, predefined, false, false);
            }
        }
    }

    // ---- names ------------------------------------------------------------------------------------------------

    /// <summary>Step names, distinct ignoring case and not equal to <paramref name="taken"/>.</summary>
    private List<string> StepNames(int count, params string[] taken)
    {
        var names = new List<string>();
        while (names.Count < count)
        {
            var name = Pick(s_stepNames);
            if (Chance(0.2) && !name.StartsWith("@", StringComparison.Ordinal))
            {
                name += "Async";
            }

            var output = OutputName(name);
            if (names.Concat(taken).Any(other => string.Equals(OutputName(other), output, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            names.Add(name);
        }

        return names;
    }

    private static string OutputName(string name)
    {
        var plain = name.TrimStart('@');
        return plain.EndsWith("Async", StringComparison.Ordinal) && plain.Length > 5 ? plain.Substring(0, plain.Length - 5) : plain;
    }

    /// <summary>A parameter name that binds to the step <paramref name="step"/> (case ignored), escaped where needed.</summary>
    private string ParameterFor(string step)
    {
        var output = OutputName(step);
        var name = Chance(0.5) && char.IsUpper(output[0]) ? char.ToLowerInvariant(output[0]) + output.Substring(1) : output;
        return Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;
    }

    // ---- rendering --------------------------------------------------------------------------------------------

    private string[] Render(Shape shape, string body, bool workflowPartial = true)
    {
        var head = workflowPartial ? shape.WorkflowHead : shape.WorkflowHead.Replace("partial ", string.Empty, StringComparison.Ordinal);
        var workflow = $"[{Attribute(shape, "Workflow", shape.WorkflowArguments)}]\n{head}\n{{\n{body}\n}}\n";
        var sources = new List<string> { Wrap(shape, workflow), ModelTypes };
        if (shape.SecondDeclaration)
        {
            // The same type again, with a member that is not a step.
            var name = head.Substring(head.IndexOf("class ", StringComparison.Ordinal));
            sources.Add(Wrap(shape, $"partial {name}\n{{\n    private int Unrelated() => 0;\n}}\n", usings: false));
        }

        return sources.ToArray();
    }

    private static string Wrap(Shape shape, string workflow, bool usings = true)
    {
        var text = new StringBuilder();
        if (usings)
        {
            if (shape.UsingSystem)
            {
                text.Append("using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\n");
            }

            if (shape.UsingFlows)
            {
                text.Append("using Flows;\n");
            }

            if (shape.UsingModels)
            {
                text.Append("using Shop.Models;\n");
            }

            foreach (var alias in shape.Aliases)
            {
                text.Append(alias).Append('\n');
            }
        }

        text.Append('\n');
        var close = new StringBuilder();
        if (shape.Namespace is not null)
        {
            if (shape.FileScoped)
            {
                text.Append("namespace ").Append(shape.Namespace).Append(";\n\n");
            }
            else
            {
                text.Append("namespace ").Append(shape.Namespace).Append("\n{\n");
                close.Insert(0, "}\n");
            }
        }

        foreach (var container in shape.Containers)
        {
            text.Append(container).Append("\n{\n");
            close.Insert(0, "}\n");
        }

        text.Append(workflow);
        text.Append(close);
        return text.ToString();
    }

    private const string ModelTypes = """
        namespace Shop.Models
        {
            public class Line { public int Quantity { get; set; } }
            public struct Point { public int X; }
            public class Holder { public class Inner { } }
            public class @event { }
            public class Box<T> { public T? Content { get; set; } }
        }

        namespace Shop.System { public class Marker { } }
        namespace Shop.Flows { public class Marker { } }
        """;

    private static string Indent(IEnumerable<string> lines) => string.Join("\n", lines.Select(line => "    " + line));

    // ---- the cases --------------------------------------------------------------------------------------------

    private GeneratedCase BlockingCall()
    {
        var shape = NewShape();
        var task = Pick("pending", "@checked", "数据", "@event", "task");
        var names = StepNames(2, task);
        var token = Pick(s_tokenNames);
        while (string.Equals(token.TrimStart('@'), task.TrimStart('@'), StringComparison.OrdinalIgnoreCase))
        {
            token = Pick(s_tokenNames);
        }

        var hasToken = Chance(0.7);
        var isAsync = Chance(0.85);
        var count = Chance(0.3) ? 2 : 1;
        var statements = new List<string>();
        var fixable = isAsync;
        for (var i = 0; i < count; i++)
        {
            var which = _random.Next(11);
            statements.Add(which switch
            {
                0 => $"{shape.Thread}.Sleep(5);",
                1 => $"{shape.Thread}.Sleep(millisecondsTimeout: 5);",
                2 => $"{shape.Thread}.Sleep(global::System.TimeSpan.FromMilliseconds(1));",
                3 => $"var r{i} = {task}.Result;",
                4 => $"_ = {task}.Result.ToString();",
                5 => $"{task}.Wait();",
                6 => $"var r{i} = {task}.GetAwaiter().GetResult() + 1;",
                7 => $"_ = {task}.ConfigureAwait(false).GetAwaiter().GetResult();",
                8 => $"var r{i} = -{task}.Result;",
                9 => $"if ({task}.Result > 0) {{ }}",
                _ => $"{shape.Func}<int> f{i} = () => {task}.Result;",
            });
            fixable &= which != 10;
        }

        var parameters = $"{shape.Task}<int> {task}" + (hasToken ? $", {shape.Token} {token}" : string.Empty);
        var returnType = isAsync ? $"async {shape.Task}<int>" : "int";
        var yield = isAsync ? $"await {shape.Task}.Yield(); " : string.Empty;
        var body = Indent(new[]
        {
            $"[{Attribute(shape, "Step")}]",
            $"public {returnType} {names[0]}({parameters})",
            "{",
            "    " + yield + string.Join(" ", statements),
            "    return 1;",
            "}",
            $"[{Attribute(shape, "Step")}] public int {names[1]}(int {ParameterFor(names[0])}) => 0;",
        });
        shape.Description.Add($"FLOW004 async={isAsync} token={(hasToken ? token : "-")} {string.Join(" ", statements)}");
        return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, body), "FLOW004", fixable);
    }

    private GeneratedCase NotPartial()
    {
        var shape = NewShape(containersPartial: false);

        // Some containers partial, some not; at least one type in the chain is not.
        for (var i = 0; i < shape.Containers.Count; i++)
        {
            if (Chance(0.4))
            {
                shape.Containers[i] = shape.Containers[i].Replace(" class ", " partial class ", StringComparison.Ordinal)
                    .Replace(" struct ", " partial struct ", StringComparison.Ordinal)
                    .Replace(" record ", " partial record ", StringComparison.Ordinal)
                    .Replace(" interface ", " partial interface ", StringComparison.Ordinal)
                    .Replace(" partial record partial struct", " partial record struct", StringComparison.Ordinal);
            }
        }

        var workflowPartial = shape.Containers.Any(container => !container.Contains("partial", StringComparison.Ordinal)) && Chance(0.5);
        var names = StepNames(2);
        var isStatic = Chance(0.15);
        if (isStatic)
        {
            shape.WorkflowHead = "public static partial class Checkout";
        }

        var modifier = isStatic ? "static " : string.Empty;
        var body = Indent(new[]
        {
            $"[{Attribute(shape, "Step")}] public {modifier}int {names[0]}() => 1;",
            $"[{Attribute(shape, "Step")}] public {modifier}{shape.Task} {names[1]}(int {ParameterFor(names[0])}) => {shape.Task}.CompletedTask;",
        });

        // Sometimes a second workflow beside the first, in the same containers.
        if (Chance(0.25))
        {
            var siblingPartial = Chance(0.5) ? "partial " : string.Empty;
            body += $"\n}}\n\n[{Attribute(shape, "Workflow")}]\npublic {siblingPartial}class Refund\n{{\n    [{Attribute(shape, "Step")}] public int Start() => 1;";
        }

        shape.Description.Add($"FLOW005 workflowPartial={workflowPartial}");
        return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, body, workflowPartial), "FLOW005", true);
    }

    private GeneratedCase AsyncVoid()
    {
        var shape = NewShape();
        var names = StepNames(3);
        var lines = new List<string>();
        var count = Chance(0.3) ? 2 : 1;
        var fixable = true;
        for (var i = 0; i < count; i++)
        {
            var shapeOf = _random.Next(6);
            var tokenParameter = Chance(0.4) ? $"{shape.Token} {Pick(s_tokenNames)}" : string.Empty;
            var step = $"[{Attribute(shape, "Step")}]";
            lines.Add(shapeOf switch
            {
                0 => $"{step} public async void {names[i]}({tokenParameter}) => await {shape.Task}.Yield();",
                1 => $"{step}\npublic async void {names[i]}({tokenParameter})\n{{\n    await {shape.Task}.Delay(1);\n    return;\n}}",
                2 => $"{step} internal static async void {names[i]}({tokenParameter}) {{ await {shape.Task}.Yield(); }}",
                3 => $"{step} public async void {names[i]}<T>({tokenParameter}) => await {shape.Task}.Yield();",
                4 => $"{step}\n/// <summary>Says hello.</summary>\nprivate async void {names[i]}({tokenParameter})\n{{\n    try {{ await {shape.Task}.Yield(); }} catch ({(shape.UsingSystem ? "" : "global::System.")}Exception) {{ }}\n}}",
                _ => $"[{Attribute(shape, "Retry", "(2)")}, {Attribute(shape, "Step")}] protected async void {names[i]}({tokenParameter}) => await {shape.Task}.Yield();",
            });
        }

        lines.Add($"[{Attribute(shape, "Step")}] public int {names[2]}() => 1;");
        var body = Indent(string.Join("\n", lines).Split('\n'));
        shape.Description.Add("FLOW008 " + string.Join(" | ", lines));
        return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, body), "FLOW008", fixable, FixableMessage: "not void");
    }

    private GeneratedCase OutcomeRequired()
    {
        var shape = NewShape();
        var names = StepNames(3);
        var type = RandomType(shape);
        var producer = names[0];
        var async = producer.EndsWith("Async", StringComparison.Ordinal) || Chance(0.2);
        var producerMethod = async && !producer.EndsWith("Async", StringComparison.Ordinal) ? producer.TrimStart('@') + "Async" : producer;
        var continueOnError = Pick("(ContinueOnError = true)", "(ContinueOnError: true)".Replace(":", " =", StringComparison.Ordinal));
        var producerLine = async
            ? $"[{Attribute(shape, "Step", continueOnError)}] public {shape.Task}<{type.Spelling}> {producerMethod}() => {shape.Task}.FromResult<{type.Spelling}>(default!);"
            : $"[{Attribute(shape, "Step", continueOnError)}] public {type.Spelling} {producerMethod}() => default!;";

        // The consumer declares the type as written elsewhere, or a type it converts to.
        var declared = type;
        var widened = false;
        if (type.IsReference && Chance(0.3))
        {
            declared = type.IsNullable ? new TypeSpec("object?", "object?", true, true) : new TypeSpec(Pick("object", "object?"), "object", true, false);
            widened = true;
        }
        else if (type.Key == "Line" && Chance(0.5))
        {
            declared = new TypeSpec(Pick("global::Shop.Models.Line", "Shop.Models.Line"), "Line", true, false);
        }

        var parameter = ParameterFor(producerMethod);
        var uses = new List<string>();
        var written = false;
        var count = _random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var which = _random.Next(9);
            uses.Add(which switch
            {
                0 => $"_ = {parameter};",
                1 => $"var s{i} = $\"{{{parameter}}}\";",
                2 => $"_ = nameof({parameter});",
                3 => $"var a{i} = new {{ {parameter} }};",
                4 => $"var t{i} = ({parameter}, 1);",
                5 => $"object? o{i} = {parameter};",
                6 => $"{shape.Func}<object?> f{i} = () => {parameter};",
                7 => $"var h{i} = {parameter}?.GetHashCode();".Replace("?.", type.IsReference ? "?." : ".", StringComparison.Ordinal),
                _ => $"{parameter} = default!;",
            });
            written |= which == 8;
        }

        var secondConsumer = Chance(0.25);
        var consumerToken = Pick("ct", "@checked");
        var consumerParameters = $"{declared.Spelling} {parameter}" + (Chance(0.3) && consumerToken.TrimStart('@') != parameter.TrimStart('@') ? $", {shape.Token} {consumerToken}" : string.Empty);
        var lines = new List<string>
        {
            producerLine,
            $"[{Attribute(shape, "Step")}]",
            $"public int {names[1]}({consumerParameters})",
            "{",
            "    " + string.Join(" ", uses),
            "    return 0;",
            "}",
        };
        if (secondConsumer)
        {
            lines.Add($"[{Attribute(shape, "Step")}] public int {names[2]}({type.Spelling} {ParameterFor(producerMethod)}) => 1;");
        }

        var body = Indent(lines);
        shape.Description.Add($"FLOW011 type={type.Spelling} declared={declared.Spelling} widened={widened} uses={string.Join(" ", uses)}");
        return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, body), "FLOW011", !written);
    }

    private GeneratedCase DependentParallelSteps()
    {
        var shape = NewShape();
        var group = Pick(s_groupNames);
        var names = StepNames(4, group);
        var groupLiteral = "\"" + group + "\"";

        // How a member says it is in the group: [Step, Parallel], separate lists, [Parallel] alone, other orders.
        string Member(string options = "")
        {
            var parallel = Attribute(shape, "Parallel", "(" + groupLiteral + options + ")");
            if (Chance(0.1) && shape.UsingFlows)
            {
                if (!shape.Aliases.Contains("using P = Flows.ParallelAttribute;"))
                {
                    shape.Aliases.Add("using P = Flows.ParallelAttribute;");
                }

                parallel = "P(" + groupLiteral + options + ")";
            }

            var step = Attribute(shape, "Step");
            return _random.Next(6) switch
            {
                0 => $"[{step}, {parallel}]",
                1 => $"[{step}]\n[{parallel}]",
                2 => $"[{parallel}]",
                3 => $"[{parallel}, {step}]",
                4 => $"[{step}, {parallel}, {Attribute(shape, "Retry", "(2)")}]",
                _ => $"[{Attribute(shape, "Retry", "(2)")}][{parallel}]",
            };
        }

        var variant = _random.Next(10);
        if (variant == 0)
        {
            // A foreach in the group reads a member's output: flagged at its source argument.
            var item = RandomType(shape);
            var forEach = Attribute(shape, "ParallelForEach", $"(nameof({names[0]}))");
            var parallel = Attribute(shape, "Parallel", "(" + groupLiteral + ")");
            var consumer = Chance(0.5) ? $"[{forEach}, {parallel}]" : $"[{parallel}]\n[{forEach}]";
            var forEachBody = Indent(string.Join("\n", new[]
            {
                $"{Member()}\npublic {item.Spelling}[] {names[0]}() => default!;",
                $"{consumer}\npublic int {names[1]}({item.Spelling} item) => 0;",
            }).Split('\n'));
            shape.Description.Add($"FLOW001 foreach group={group} item={item.Spelling}");
            return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, forEachBody), "FLOW001", true);
        }

        if (variant == 1 && shape.WorkflowArguments.Length == 0)
        {
            // A member of a FirstSuccess group consumes the group's own value, named after the group.
            var valueGroup = Pick("quote", "数据", "@class", "Größe");
            var valueNames = StepNames(3, valueGroup);
            var literal = "\"" + valueGroup.TrimStart('@') + "\"";
            var firstSuccess = ", Failure = " + Flows(shape, "FailurePolicy") + ".FirstSuccess";
            var step = Attribute(shape, "Step");
            var member = Attribute(shape, "Parallel", "(" + literal + ")");
            var firstSuccessBody = Indent(string.Join("\n", new[]
            {
                $"[{step}, {Attribute(shape, "Parallel", "(" + literal + firstSuccess + ")")}] public int {valueNames[0]}() => 1;",
                $"[{step}, {member}] public int {valueNames[1]}() => 2;",
                $"[{step}][{member}] public int {valueNames[2]}(int {valueGroup}) => {valueGroup};",
            }).Split('\n'));
            shape.Description.Add($"FLOW001 first-success group={valueGroup}");
            return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, firstSuccessBody), "FLOW001", true);
        }

        // Under Dataflow scheduling a group is fail-fast without a timeout of its own (FLOW009).
        var options = shape.WorkflowArguments.Length > 0
            ? string.Empty
            : Pick(string.Empty, string.Empty, ", Failure = " + Flows(shape, "FailurePolicy") + ".WaitAll", ", TimeoutMilliseconds = 1000");
        var consumerFirst = Chance(0.15);
        var optionsOnConsumer = options.Length > 0 && Chance(0.5);
        var type = RandomType(shape);
        var producer = $"{Member(optionsOnConsumer ? string.Empty : options)}\npublic {type.Spelling} {names[0]}() => default!;";
        var parameter = ParameterFor(names[0]);
        var consumers = Chance(0.25) ? 2 : 1;
        var lines = new List<string>();
        var consumerLines = new List<string>();
        for (var i = 0; i < consumers; i++)
        {
            var tokenName = Pick(s_tokenNames);
            var tokenParameter = Chance(0.3) && !string.Equals(tokenName.TrimStart('@'), parameter.TrimStart('@'), StringComparison.OrdinalIgnoreCase) ? $", {shape.Token} {tokenName}" : string.Empty;
            consumerLines.Add($"{Member(i == 0 && optionsOnConsumer ? options : string.Empty)}\npublic int {names[1 + i]}({type.Spelling} {parameter}{tokenParameter}) => 0;");
        }

        if (consumerFirst)
        {
            lines.AddRange(consumerLines);
            lines.Add(producer);
        }
        else
        {
            lines.Add(producer);
            lines.AddRange(consumerLines);
        }

        // A later step consumes the consumer: it still runs after it.
        if (Chance(0.3))
        {
            lines.Add($"[{Attribute(shape, "Step")}] public int {names[3]}(int {ParameterFor(names[1])}) => 1;");
        }

        var body = Indent(string.Join("\n", lines).Split('\n'));
        shape.Description.Add($"FLOW001 group={group} consumerFirst={consumerFirst} options={options} onConsumer={optionsOnConsumer}");
        return new GeneratedCase(string.Join("; ", shape.Description), Render(shape, body), "FLOW001", !consumerFirst);
    }
}
