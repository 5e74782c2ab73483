using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private const string NoResultType = "global::Flows.Internal.NoResult";

    private sealed partial class Emitter
    {
        private static string BodyName(StepModel step) => $"__{step.OutputName}Body";

        private static string OptionsName(StepModel step) => $"__{step.OutputName}Options";

        private string ForEachInvocation(StepModel step, ForEachModel forEach, string token, string? observer)
        {
            var method = forEach.SourceShape switch
            {
                SourceShape.Array or SourceShape.List => "OverList",
                SourceShape.Enumerable => "OverEnumerable",
                _ => "OverStream",
            };
            method += forEach.ContinueOnError ? "WithOutcomesAsync" : "Async";

            var source = Identifiers.Escape(forEach.SourceKind switch
            {
                ArgumentKind.StepOutput => _outputLocals[forEach.Source],
                ArgumentKind.GroupOutput => _groupLocals[forEach.Source],
                _ => _inputParameters[forEach.Source],
            });
            var bodyArguments = (BodyCarriesWorkflow(step) ? new[] { "this" } : Enumerable.Empty<string>())
                .Concat(step.Arguments.Where(IsCarriedByBody).Select(ArgumentExpression));
            var result = step.ValueType ?? NoResultType;
            return $"global::Flows.Internal.ForEach.{method}<{forEach.ItemType}, {result}, {BodyName(step)}>(\n" +
                $"{source}, new {BodyName(step)}({string.Join(", ", bodyArguments)}), {OptionsName(step)}, {_controlParameter}, {token}{(observer is null ? string.Empty : ", " + observer)})";
        }

        private static bool IsCarriedByBody(ArgumentModel argument) =>
            argument.Kind is ArgumentKind.StepOutput or ArgumentKind.Input or ArgumentKind.GroupOutput;

        private void WriteForEachBodies()
        {
            foreach (var step in _model.Steps)
            {
                if (step.ForEach is { } forEach)
                {
                    _writer.Line();
                    WriteForEachOptions(step, forEach);
                    _writer.Line();
                    WriteForEachBody(step, forEach);
                }
            }
        }

        private void WriteForEachOptions(StepModel step, ForEachModel forEach)
        {
            var degree = forEach.MaxDegreeOfParallelism is { } value
                ? value.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : "global::System.Environment.ProcessorCount";
            var arguments = new List<string>
            {
                Identifiers.StringLiteral(_model.Type.Name),
                Identifiers.StringLiteral(step.MethodName),
                $"maxDegreeOfParallelism: {degree}",
                $"runOnThreadPool: {(step.IsAwaitable ? "false" : "true")}",
            };
            if (forEach.ContinueOnError)
            {
                arguments.Add("continueOnError: true");
            }

            if (forEach.MinSuccessRate > 0)
            {
                arguments.Add($"minSuccessRate: {Identifiers.DoubleLiteral(forEach.MinSuccessRate)}");
            }

            if (forEach.BatchSize > 0)
            {
                arguments.Add($"batchSize: {forEach.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (forEach.DelayBetweenBatchesMilliseconds > 0)
            {
                arguments.Add($"delayBetweenBatchesMilliseconds: {forEach.DelayBetweenBatchesMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (forEach.MaxItemsPerSecond > 0)
            {
                arguments.Add($"maxItemsPerSecond: {Identifiers.DoubleLiteral(forEach.MaxItemsPerSecond)}");
            }

            arguments.Add($"stage: {(step.Stage + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            if (_model.Stages[step.Stage].IsGroup)
            {
                arguments.Add($"group: {Identifiers.StringLiteral(_model.Stages[step.Stage].Group!)}");
            }

            _writer.Line(GeneratedCode);
            _writer.Line($"private static readonly global::Flows.Internal.ForEachOptions {OptionsName(step)} = new(");
            _writer.Indent();
            for (var i = 0; i < arguments.Count; i++)
            {
                _writer.Line(arguments[i] + (i == arguments.Count - 1 ? ");" : ","));
            }

            _writer.Unindent();
        }

        private void WriteForEachBody(StepModel step, ForEachModel forEach)
        {
            var result = step.ValueType ?? NoResultType;
            var carried = step.Arguments.Where(IsCarriedByBody).ToArray();
            var fields = (BodyCarriesWorkflow(step) ? new[] { (Type: TypeReference(_model.Type), Name: "__workflow") } : Enumerable.Empty<(string Type, string Name)>())
                .Concat(carried.Select(argument => (Type: argument.Type, Name: Identifiers.Field(argument.ParameterName))))
                .ToArray();

            _writer.Line($"/// <summary>Runs <see cref=\"{Identifiers.XmlEscape(step.MethodName)}\"/> for one item, with the step's other arguments.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Open($"private readonly struct {BodyName(step)} : global::Flows.Internal.IForEachBody<{forEach.ItemType}, {result}>");
            WriteFieldsAndConstructor(BodyName(step), fields);

            var parameters = $"{forEach.ItemType} __item, in global::Flows.StepContext __context, {CancellationTokenType} __cancellationToken";
            var call = $"{CallTarget(step)}{Identifiers.Escape(step.MethodName)}({string.Join(", ", step.Arguments.Select(argument => argument.Kind switch
            {
                ArgumentKind.CancellationToken => "__cancellationToken",
                ArgumentKind.StepContext => "__context",
                ArgumentKind.Item => "__item",
                _ => Identifiers.Field(argument.ParameterName),
            }))})";

            var resilient = step.Retry is not null || step.TimeoutMilliseconds > 0;
            if (resilient)
            {
                // Each item is retried and timed on its own: the attempt struct carries the item.
                var attemptArguments = (CallCarriesWorkflow(step) ? new[] { "__workflow" } : Enumerable.Empty<string>())
                    .Concat(carried.Select(argument => Identifiers.Field(argument.ParameterName)))
                    .Concat(new[] { "__item" });
                call = $"global::Flows.Internal.Resilience.RunAsync<{result}, {AttemptName(step)}>(new {AttemptName(step)}({string.Join(", ", attemptArguments)}), {PolicyName(step)}, __cancellationToken, __context)";
            }

            if (!HasHooks)
            {
                WriteAdaptedInvoke(parameters, result, resilient ? ReturnKind.ValueTaskOfT : step.ReturnKind, call);
            }
            else
            {
                WriteHookedInvoke(step, forEach, parameters, result, call, resilient);
            }

            _writer.Close();
            if (resilient)
            {
                _writer.Line();
                WritePolicy(step, runOnThreadPool: false);
                _writer.Line();
                WriteCallStruct(step, AttemptName(step), forEach.ItemType);
            }
        }

        // A foreach body holds the workflow instance to call an instance step, or to call the hooks around each item.
        private bool BodyCarriesWorkflow(StepModel step) => !_model.IsStatic && (!step.IsStatic || HasHooks);

        private static string AttemptName(StepModel step) => $"__{step.OutputName}Attempt";

        // With hooks: the hooks run around every item. An async method cannot take the context by reference,
        // so the interface method hands a copy to the method that awaits.
        private void WriteHookedInvoke(StepModel step, ForEachModel forEach, string parameters, string result, string call, bool resilient)
        {
            var hookTarget = _model.IsStatic ? string.Empty : "__workflow.";
            var awaitable = resilient || step.IsAwaitable;
            Func<string, string> returnOf = value => awaitable ? value : $"new({value})";
            if (awaitable)
            {
                _writer.Line($"public {ValueTaskType}<{result}> InvokeAsync({parameters}) =>");
                _writer.Indent();
                _writer.Line("InvokeWithHooksAsync(__item, __context, __cancellationToken);");
                _writer.Unindent();
                _writer.Line();
                _writer.Open($"private async {ValueTaskType}<{result}> InvokeWithHooksAsync({forEach.ItemType} __item, global::Flows.StepContext __context, {CancellationTokenType} __cancellationToken)");
                WriteHookedCall(step, $"await {call}{ConfigureAwait}", hookTarget, returnOf);
            }
            else
            {
                _writer.Open($"public {ValueTaskType}<{result}> InvokeAsync({parameters})");
                WriteHookedCall(step, call, hookTarget, returnOf);
            }

            if (!step.ReturnsValue)
            {
                _writer.Line("return default;");
            }

            _writer.Close();
        }

        private static string TypeReference(TypeDeclarationModel type) =>
            type.TypeParameters.Count == 0
                ? Identifiers.EscapeTypeName(type.Name)
                : $"{Identifiers.EscapeTypeName(type.Name)}<{string.Join(", ", type.TypeParameters.Select(Identifiers.EscapeTypeName))}>";
    }
}
