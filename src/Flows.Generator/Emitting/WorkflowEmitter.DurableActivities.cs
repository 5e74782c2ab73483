using Flows.Generator.Model;

// The durable workflow's activities (one per step: where the step's body runs, in a worker) and the classes that carry
// inputs and results across the wire.
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        /// <summary><c>global::Namespace.Outer.Type</c>: inside the Durable class the type's simple name may be hidden by its members.</summary>
        private string WorkflowTypeReference()
        {
            var parts = new List<string>();
            if (_model.Namespace is not null)
            {
                parts.Add(string.Join(".", _model.Namespace.Split('.').Select(Identifiers.EscapeTypeName)));
            }

            parts.AddRange(_model.ContainingTypes.Select(type => Identifiers.EscapeTypeName(type.Name)));
            parts.Add(Identifiers.EscapeTypeName(_model.Type.Name));
            return "global::" + string.Join(".", parts);
        }

        // The hooks run around the step in its activity too; they take the attempt and the item's position from the input.
        private bool ActivityNeedsStepContext(StepModel step) => HasHooks || TakesStepContext(step);

        private bool ActivityNeedsWorkflow(StepModel step) => !_model.IsStatic && (!step.IsStatic || HasHooks);

        private void WriteActivities(DurableModel durable)
        {
            var workflow = WorkflowTypeReference();
            if (!_model.IsStatic && _model.Steps.Any(ActivityNeedsWorkflow))
            {
                _writer.Line();
                _writer.Line("// An activity creates the workflow from the worker's services, as a DI container would.");
                _writer.Line(GeneratedCode);
                var services = durable.ConstructorParameters.Select(type => $"{DurableRuntime}DurableStep.Service<{type}>(services, {Identifiers.StringLiteral(_model.Type.Name)})");
                _writer.Line($"private static {workflow} __Create(global::System.IServiceProvider services) => new {workflow}({string.Join(", ", services)});");
            }

            foreach (var step in _model.Steps)
            {
                WriteActivity(step, workflow);
            }
        }

        private void WriteActivity(StepModel step, string workflow)
        {
            var result = ActivityResultType(step);
            var awaited = step.IsAwaitable;
            _writer.Line();
            _writer.Line($"/// <summary>Step <c>{Identifiers.XmlEscape(step.MethodName)}</c>{(step.ForEach is null ? string.Empty : ", one item")}, run by a worker.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Open($"private sealed class {ActivityClass(step)} : {DurableSdk}TaskActivity<{ActivityInputType(step)}, {result}>");
            _writer.Line($"public const string Name = OrchestrationName + {Identifiers.StringLiteral("." + step.MethodName)};");
            _writer.Line();
            if (ActivityNeedsWorkflow(step))
            {
                _writer.Line("private readonly global::System.IServiceProvider _services;");
                _writer.Line();
                _writer.Line($"public {ActivityClass(step)}(global::System.IServiceProvider services) => _services = services;");
                _writer.Line();
            }

            _writer.Open($"public override {(awaited ? "async " : string.Empty)}{TaskType}<{result}> RunAsync({DurableSdk}TaskActivityContext context, {ActivityInputType(step)} input)");
            if (ActivityNeedsWorkflow(step))
            {
                _writer.Line("var __workflow = __Create(_services);");
            }

            if (ActivityNeedsStepContext(step))
            {
                _writer.Line($"var __context = new global::Flows.StepContext({Identifiers.StringLiteral(_model.Type.Name)}, {Identifiers.StringLiteral(step.MethodName)}, input.__attempt, input.__index, input.__count);");
            }

            var target = step.IsStatic || _model.IsStatic ? workflow + "." : "__workflow.";
            var call = $"{target}{Identifiers.Escape(step.MethodName)}({string.Join(", ", step.Arguments.Select(argument => ActivityArgument(step, argument)))})";
            var expression = awaited ? $"await {call}{ConfigureAwait}" : call;
            var hookTarget = _model.IsStatic ? workflow + "." : "__workflow.";
            Func<string, string> returnOf = value => awaited ? value : $"{TaskType}.FromResult<{result}>({value})";
            WriteHookedCall(step, expression, hookTarget, returnOf);
            if (!step.ReturnsValue)
            {
                _writer.Line(awaited ? "return null;" : $"return {TaskType}.FromResult<object?>(null);");
            }

            _writer.Close();
            _writer.Close();
        }

        private string ActivityArgument(StepModel step, ArgumentModel argument) => argument.Kind switch
        {
            ArgumentKind.CancellationToken => $"{CancellationTokenType}.None",
            ArgumentKind.StepContext => "__context",
            ArgumentKind.Item => InputShapeOf(step) == ActivityInputShape.Bare ? "input" : "input.__item",
            _ => FromWire(argument.Type, InputShapeOf(step) == ActivityInputShape.Bare ? "input" : "input." + Identifiers.Field(argument.ParameterName)),
        };

        private enum ActivityInputShape
        {
            /// <summary>No value: the activity takes no input.</summary>
            None,

            /// <summary>One value (an item, or one argument) and no step context: the value itself is the input.</summary>
            Bare,

            /// <summary>Several values, or a step context: an object of the input class.</summary>
            Object,
        }

        private ActivityInputShape InputShapeOf(StepModel step)
        {
            if (ActivityNeedsStepContext(step))
            {
                return ActivityInputShape.Object;
            }

            var values = (step.ForEach is null ? 0 : 1) + DataArguments(step).Count();
            return values switch
            {
                0 => ActivityInputShape.None,
                1 => ActivityInputShape.Bare,
                _ => ActivityInputShape.Object,
            };
        }

        private string ActivityInputType(StepModel step) => InputShapeOf(step) switch
        {
            ActivityInputShape.None => "object?",
            ActivityInputShape.Bare => step.ForEach is { } forEach ? forEach.ItemType : WireType(DataArguments(step).First().Type),
            _ => ActivityInput(step),
        };

        private void WriteDurableInputClasses()
        {
            _writer.Line();
            _writer.Line("/// <summary>The orchestration's input: the workflow's inputs.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Open("private sealed class __Input");
            for (var i = 0; i < _model.Inputs.Count; i++)
            {
                WriteWireProperty(WireType(_model.Inputs[i].Type), Identifiers.Field(_model.Inputs[i].Name));
            }

            if (NeedsProcessorCount)
            {
                WriteWireProperty("int", "__processorCount", valueType: true);
            }

            _writer.Close();

            var results = DurableResults();
            if (results.Length > 1)
            {
                _writer.Line();
                _writer.Line("/// <summary>The orchestration's output: the values of the last stage.</summary>");
                _writer.Line(GeneratedCode);
                _writer.Open("private sealed class __Output");
                foreach (var (name, type, _) in results)
                {
                    WriteWireProperty(WireType(type), Identifiers.Field(name));
                }

                _writer.Close();
            }

            foreach (var step in _model.Steps.Where(step => InputShapeOf(step) == ActivityInputShape.Object))
            {
                _writer.Line();
                _writer.Line($"/// <summary>The input of step <c>{Identifiers.XmlEscape(step.MethodName)}</c>'s activity.</summary>");
                _writer.Line(GeneratedCode);
                _writer.Open($"private sealed class {ActivityInput(step)}");
                if (step.ForEach is { } forEach)
                {
                    WriteWireProperty(forEach.ItemType, "__item");
                }

                if (ActivityNeedsStepContext(step))
                {
                    WriteWireProperty("int", "__attempt", valueType: true);
                    WriteWireProperty("int", "__index", valueType: true);
                    WriteWireProperty("int", "__count", valueType: true);
                }

                foreach (var argument in DataArguments(step))
                {
                    WriteWireProperty(WireType(argument.Type), Identifiers.Field(argument.ParameterName));
                }

                _writer.Close();
            }
        }

        // A property the data converter sets; a reference type's starts as null until it does (hence default!).
        private void WriteWireProperty(string type, string name, bool valueType = false) =>
            _writer.Line(valueType ? $"public {type} {name} {{ get; set; }}" : $"public {type} {name} {{ get; set; }} = default!;");
    }
}
