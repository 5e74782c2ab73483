using Flows.Generator.Model;

// The public RunAsync overloads, their XML docs and the result type.
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        private string ResultType()
        {
            if (LastStageIsFirstSuccess(out var last))
            {
                return $"{ValueTaskType}<{GroupValueType(_model.Stages[last])}>";
            }

            var results = _model.ResultSteps.ToArray();
            if (results.Length == 0)
            {
                return ValueTaskType;
            }

            if (results.Length == 1)
            {
                return $"{ValueTaskType}<{results[0].OutputType}>";
            }

            var elements = results.Select((step, position) => TupleElementAllowed(step.OutputName, position) ? $"{step.OutputType} {Identifiers.Escape(step.OutputName)}" : step.OutputType);
            return $"{ValueTaskType}<({string.Join(", ", elements)})>";
        }

        private static bool TupleElementAllowed(string name, int position)
        {
            if (s_disallowedTupleNames.Contains(name))
            {
                return false;
            }

            return !(name.StartsWith("Item", StringComparison.Ordinal)
                && int.TryParse(name.Substring(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && number != position + 1);
        }

        private string InputParameterList() =>
            string.Concat(_model.Inputs.Select((input, i) => $"{input.Type} {Identifiers.Escape(_inputParameters[i])}, "));

        private string InputArgumentList() =>
            string.Concat(_inputParameters.Select(name => Identifiers.Escape(name) + ", "));

        private void WriteRunAsyncOverloads()
        {
            var resultType = ResultType();
            var summary = Identifiers.XmlEscape(Describe());
            var inputs = InputArgumentList();

            WriteRunAsyncDocs(summary, withControl: false, withTimeline: false);
            _writer.Line(GeneratedCode);
            _writer.Line($"public {_static}{resultType} RunAsync({InputParameterList()}{CancellationTokenType} {_tokenParameter} = default) =>");
            _writer.Indent();
            WriteDispatch(string.Empty, "null");
            _writer.Unindent();
            _writer.Line();

            WriteRunAsyncDocs(summary, withControl: true, withTimeline: false);
            _writer.Line(GeneratedCode);
            _writer.Open($"public {_static}{resultType} RunAsync({InputParameterList()}global::Flows.FlowControl {_controlParameter}, {CancellationTokenType} {_tokenParameter} = default)");
            _writer.Line($"global::System.ArgumentNullException.ThrowIfNull({_controlParameter});");
            WriteDispatch("return ", _controlParameter);
            _writer.Close();
            _writer.Line();

            WriteRunAsyncDocs(summary, withControl: false, withTimeline: true);
            _writer.Line(GeneratedCode);
            _writer.Open($"public {_static}{resultType} RunAsync({InputParameterList()}global::Flows.ExecutionTimeline {_timelineParameter}, {CancellationTokenType} {_tokenParameter} = default)");
            _writer.Line($"global::System.ArgumentNullException.ThrowIfNull({_timelineParameter});");
            _writer.Line(HasObservedRun
                ? $"return {RunBody.Observed.MethodName}({inputs}null, {_timelineParameter}, {_tokenParameter});"
                : $"return {RunBody.Plain.MethodName}({inputs}null, {_tokenParameter});");
            _writer.Close();
            _writer.Line();

            WriteRunAsyncDocs(summary, withControl: true, withTimeline: true);
            _writer.Line(GeneratedCode);
            _writer.Open($"public {_static}{resultType} RunAsync({InputParameterList()}global::Flows.FlowControl {_controlParameter}, global::Flows.ExecutionTimeline {_timelineParameter}, {CancellationTokenType} {_tokenParameter} = default)");
            _writer.Line($"global::System.ArgumentNullException.ThrowIfNull({_controlParameter});");
            _writer.Line($"global::System.ArgumentNullException.ThrowIfNull({_timelineParameter});");
            _writer.Line(HasObservedRun
                ? $"return {RunBody.Observed.MethodName}({inputs}{_controlParameter}, {_timelineParameter}, {_tokenParameter});"
                : $"return {RunBody.Plain.MethodName}({inputs}{_controlParameter}, {_tokenParameter});");
            _writer.Close();
        }

        private void WriteDispatch(string prefix, string control) =>
            _writer.Line($"{prefix}{RunBody.Plain.MethodName}({InputArgumentList()}{control}, {_tokenParameter});");

        private void WriteRunAsyncDocs(string summary, bool withControl, bool withTimeline)
        {
            _writer.Line($"/// <summary>{summary}</summary>");
            for (var i = 0; i < _model.Inputs.Count; i++)
            {
                _writer.Line($"/// <param name=\"{_inputParameters[i]}\">{Identifiers.XmlEscape(DescribeInput(i))}</param>");
            }

            if (withControl)
            {
                _writer.Line($"/// <param name=\"{_controlParameter}\">Pauses and resumes the run: while it is paused, no new stage starts.</param>");
            }

            if (withTimeline)
            {
                _writer.Line($"/// <param name=\"{_timelineParameter}\">Records when each step and item starts and ends; a new one for each run.</param>");
            }

            _writer.Line($"/// <param name=\"{_tokenParameter}\">Cancels the run: the steps' tokens are cancelled and no step starts afterwards.</param>");
            var results = _model.ResultSteps.Select(step => step.MethodName).ToArray();
            _writer.Line(results.Length == 0
                ? "/// <returns>A task that completes when the last stage has completed.</returns>"
                : $"/// <returns>The output of {Identifiers.XmlEscape(JoinNames(results))}.</returns>");
        }

        // What consumes an input: the steps that take it as a parameter, and the foreach steps that run over it.
        private string DescribeInput(int input)
        {
            var parameters = _model.Steps
                .Where(step => step.Arguments.Any(argument => argument.Kind == ArgumentKind.Input && argument.Source == input))
                .Select(step => step.MethodName)
                .ToArray();
            var loops = _model.Steps
                .Where(step => step.ForEach is { SourceKind: ArgumentKind.Input } forEach && forEach.Source == input)
                .Select(step => step.MethodName)
                .ToArray();
            var text = parameters.Length > 0 ? $"The input of {JoinNames(parameters)}" : "The input";
            if (loops.Length > 0)
            {
                text += $"{(parameters.Length > 0 ? "; the items" : ": the items")} {JoinNames(loops)} runs on, one call per item";
            }

            return text + ".";
        }

        private string Describe()
        {
            var stages = _model.Stages.Select(stage =>
            {
                var names = stage.Steps.Select(index => _model.Steps[index].MethodName).ToArray();
                return stage.IsGroup ? $"{JoinNames(names)} in parallel (group \"{stage.Group}\")" : names[0];
            });
            return _model.Scheduling == SchedulingKind.Dataflow
                ? $"Runs the {_model.Type.Name} workflow: {string.Join(", ", stages)}, each as soon as the steps it waits for have completed."
                : $"Runs the {_model.Type.Name} workflow: {string.Join("; then ", stages)}.";
        }

        private static string JoinNames(string[] names) => names.Length switch
        {
            0 => string.Empty,
            1 => names[0],
            _ => string.Join(", ", names, 0, names.Length - 1) + " and " + names[names.Length - 1],
        };
    }
}
