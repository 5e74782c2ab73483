using Flows.Generator.Model;

// [Workflow(Durable = true)]: the nested Durable class, written from the same model and call plans as RunAsync. The
// orchestrator holds no user code: it calls one activity per step (per item, per attempt) through the replay-safe
// runtime of Flows.DurableTask; step bodies run only in the activities (WorkflowEmitter.DurableActivities.cs).
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        private const string OrchestrationContext = DurableSdk + "TaskOrchestrationContext";
        private const string DurableClient = DurableSdk + "Client.DurableTaskClient";

        private string _clientParameter = "client";
        private string _instanceIdParameter = "instanceId";

        // A foreach without MaxDegreeOfParallelism runs ProcessorCount items at once; an orchestrator must decide the
        // same on every replay and every worker, so the count is the scheduling client's, carried in the input.
        private bool NeedsProcessorCount => _model.Steps.Any(step => step.ForEach is { MaxDegreeOfParallelism: null });

        private void WriteDurable(DurableModel durable)
        {
            var taken = new HashSet<string>(_inputParameters, StringComparer.Ordinal) { _tokenParameter };
            _clientParameter = Claim(taken, "client", "durableClient");
            _instanceIdParameter = Claim(taken, "instanceId", "durableInstanceId");

            var name = Identifiers.XmlEscape(_model.Type.Name);
            _writer.Line("/// <summary>");
            _writer.Line($"/// <c>{name}</c> as a Durable Task orchestration: each step is an activity that any worker on the task hub");
            _writer.Line("/// may run, and the backend records progress, so a run whose worker stopped continues on another without");
            _writer.Line("/// redoing completed steps or items. Register it with a worker, then schedule runs from a client.");
            _writer.Line("/// </summary>");
            _writer.Line(GeneratedCode);
            _writer.Open("public static class Durable");
            _writer.Line("/// <summary>The orchestration's name on the task hub; each step's activity is named after it and the step.</summary>");
            _writer.Line($"public const string OrchestrationName = {Identifiers.StringLiteral(durable.OrchestrationName)};");
            _writer.Line();
            WriteRegister();
            _writer.Line();
            WriteClientMethods();
            _writer.Line();
            WriteOrchestrator();
            WriteDataflowNodesDurable();
            WriteChunkOrchestrators();
            WriteDurablePolicies();
            WriteActivities(durable);
            WriteDurableInputClasses();
            WriteChunkClasses();
            _writer.Close();
        }

        // Generated names in the Durable class are numbered by step, '__' and an upper-case letter: the locals named after
        // steps ('__' and a lower-case letter, or no '__') cannot meet them, whatever the steps are called.
        private string Number(StepModel step) => IndexOf(step).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private string ActivityClass(StepModel step) => "__Activity" + Number(step);

        private string ActivityName(StepModel step) => ActivityClass(step) + ".Name";

        private string ActivityInput(StepModel step) => "__Input" + Number(step);

        private string DurablePolicy(StepModel step) => "__Policy" + Number(step);

        private void WriteRegister()
        {
            _writer.Line("/// <summary>Registers the orchestrator and one activity per step with a worker.</summary>");
            _writer.Line("/// <param name=\"registry\">The worker's registry (<c>AddDurableTaskWorker(builder => builder.AddTasks(Durable.Register))</c>).</param>");
            _writer.Line(GeneratedCode);
            _writer.Open($"public static void Register({DurableSdk}DurableTaskRegistry registry)");
            _writer.Open("if (registry is null)");
            _writer.Line("throw new global::System.ArgumentNullException(nameof(registry));");
            _writer.Close();
            _writer.Line();
            _writer.Line($"registry.AddOrchestratorFunc<__Input, {DurableOutputType()}>(OrchestrationName, __OrchestrateAsync);");
            foreach (var step in _model.Steps.Where(step => step.ForEach is not null))
            {
                _writer.Line($"registry.AddOrchestratorFunc<{ChunkClass(step)}, {ChunkResultType(step)}>({ChunkName(step)}, {ChunkOrchestrator(step)});");
            }

            foreach (var step in _model.Steps)
            {
                _writer.Line($"registry.AddActivity({ActivityName(step)}, {(ActivityNeedsWorkflow(step) ? $"static services => new {ActivityClass(step)}(services)" : $"static _ => new {ActivityClass(step)}()")});");
            }

            _writer.Close();
        }

        private string ClientInputParameters() => InputParameterList();

        private void WriteClientMethods()
        {
            var result = DurableResultType();
            var task = result is null ? TaskType : $"{TaskType}<{result}>";
            var client = Identifiers.Escape(_clientParameter);
            var instanceId = Identifiers.Escape(_instanceIdParameter);
            var token = Identifiers.Escape(_tokenParameter);

            _writer.Line("/// <summary>Starts a run on the task hub and returns its instance id at once; the run goes on in the workers.</summary>");
            WriteClientParamDocs(withInputs: true, withInstanceId: true, "Cancels the scheduling request, not the run.");
            _writer.Line("/// <returns>The run's instance id.</returns>");
            _writer.Line(GeneratedCode);
            _writer.Open($"public static {TaskType}<string> ScheduleAsync({DurableClient} {client}, {ClientInputParameters()}string? {instanceId} = null, {CancellationTokenType} {token} = default)");
            _writer.Open($"if ({client} is null)");
            _writer.Line($"throw new global::System.ArgumentNullException(nameof({client}));");
            _writer.Close();
            _writer.Line();
            _writer.Line("var __input = new __Input");
            _writer.Line("{");
            _writer.Indent();
            for (var i = 0; i < _model.Inputs.Count; i++)
            {
                _writer.Line($"{Identifiers.Field(_model.Inputs[i].Name)} = {Identifiers.Escape(_inputParameters[i])},");
            }

            if (NeedsProcessorCount)
            {
                _writer.Line("__processorCount = global::System.Environment.ProcessorCount,");
            }

            _writer.Close(";");
            _writer.Line($"return {instanceId} is null");
            _writer.Indent();
            _writer.Line($"? {client}.ScheduleNewOrchestrationInstanceAsync(OrchestrationName, __input, {token})");
            _writer.Line($": {client}.ScheduleNewOrchestrationInstanceAsync(OrchestrationName, __input, new {DurableSdk}StartOrchestrationOptions({instanceId}), {token});");
            _writer.Unindent();
            _writer.Close();
            _writer.Line();

            _writer.Line("/// <summary>Waits for a run to end and gives its result.</summary>");
            WriteClientParamDocs(withInputs: false, withInstanceId: true, "Stops waiting; the run goes on.");
            _writer.Line(result is null
                ? "/// <returns>A task that completes when the run has completed.</returns>"
                : "/// <returns>The run's result, as the in-process <c>RunAsync</c> gives it.</returns>");
            _writer.Line("/// <exception cref=\"global::Flows.DurableTask.DurableWorkflowException\">The run failed: the failing step's name, the original exception's type name and message.</exception>");
            _writer.Line("/// <exception cref=\"global::System.OperationCanceledException\">The run was terminated, or the token was cancelled (the run goes on).</exception>");
            _writer.Line(GeneratedCode);
            var waitSignature = $"public static {(result is null ? string.Empty : "async ")}{task} WaitForResultAsync({DurableClient} {client}, string {instanceId}, {CancellationTokenType} {token} = default)";
            if (result is null)
            {
                _writer.Line(waitSignature + " =>");
                _writer.Indent();
                _writer.Line($"{DurableRuntime}DurableRun.WaitForCompletionAsync({client}, {instanceId}, {token});");
                _writer.Unindent();
            }
            else
            {
                _writer.Open(waitSignature);
                _writer.Line($"var __output = await {DurableRuntime}DurableRun.WaitForResultAsync<{DurableOutputType()}>({client}, {instanceId}, {token}){ConfigureAwait};");
                var results = DurableResults();
                if (results.Length == 1)
                {
                    _writer.Line($"return {FromWire(results[0].Type, "__output")};");
                }
                else
                {
                    _writer.Line($"return ({string.Join(", ", results.Select(r => FromWire(r.Type, "__output." + Identifiers.Field(r.Name))))});");
                }

                _writer.Close();
            }

            _writer.Line();
            _writer.Line("/// <summary>Starts a run and waits for its result. Cancelling the token terminates the run.</summary>");
            WriteClientParamDocs(withInputs: true, withInstanceId: false, "Terminates the run.");
            _writer.Line(result is null
                ? "/// <returns>A task that completes when the run has completed.</returns>"
                : "/// <returns>The run's result, as the in-process <c>RunAsync</c> gives it.</returns>");
            _writer.Line("/// <exception cref=\"global::Flows.DurableTask.DurableWorkflowException\">The run failed: the failing step's name, the original exception's type name and message.</exception>");
            _writer.Line(GeneratedCode);
            _writer.Open($"public static async {task} RunAsync({DurableClient} {client}, {ClientInputParameters()}{CancellationTokenType} {token} = default)");
            _writer.Line($"var __instanceId = await ScheduleAsync({client}, {InputArgumentList()}null, {token}){ConfigureAwait};");
            _writer.Open("try");
            var wait = $"await WaitForResultAsync({client}, __instanceId, {token}){ConfigureAwait}";
            _writer.Line(result is null ? wait + ";" : $"return {wait};");
            _writer.Close();
            _writer.Open($"catch (global::System.OperationCanceledException) when ({token}.IsCancellationRequested)");
            _writer.Line($"await {DurableRuntime}DurableRun.TerminateAsync({client}, __instanceId){ConfigureAwait};");
            _writer.Line("throw;");
            _writer.Close();
            _writer.Close();
        }

        // Every parameter documented: a project that builds its documentation file warns (CS1573) when some are and some not.
        private void WriteClientParamDocs(bool withInputs, bool withInstanceId, string token)
        {
            _writer.Line($"/// <param name=\"{Identifiers.XmlEscape(_clientParameter)}\">A client of the task hub the workers run on.</param>");
            if (withInputs)
            {
                for (var i = 0; i < _model.Inputs.Count; i++)
                {
                    _writer.Line($"/// <param name=\"{Identifiers.XmlEscape(_inputParameters[i])}\">{Identifiers.XmlEscape(DescribeInput(i))}</param>");
                }
            }

            if (withInstanceId)
            {
                _writer.Line($"/// <param name=\"{Identifiers.XmlEscape(_instanceIdParameter)}\">The run's instance id{(withInputs ? "; null for a new unique one" : string.Empty)}.</param>");
            }

            _writer.Line($"/// <param name=\"{Identifiers.XmlEscape(_tokenParameter)}\">{token}</param>");
        }

        private void WriteOrchestrator()
        {
            var output = DurableOutputType();
            _writer.Line("// The orchestrator: replayed from the run's history, so it holds no user code and only replay-safe calls.");
            _writer.Line("// A failure ends the run with the failing step's name, the original type name and message.");
            _writer.Line(GeneratedCode);
            _writer.Open($"private static async {TaskType}<{output}> __OrchestrateAsync({OrchestrationContext} __context, __Input __input)");
            _writer.Open("try");
            var run = "__RunStepsAsync(__context, __input)";
            if (_model.TimeoutMilliseconds > 0)
            {
                run = $"{DurableRuntime}DurableDeadline.WorkflowAsync(__context, {Identifiers.StringLiteral(_model.Type.Name)}, {_model.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {run})";
            }

            _writer.Line($"return await {run};");
            _writer.Close();
            _writer.Open("catch (global::System.Exception __exception)");
            _writer.Line($"throw {DurableRuntime}DurableFailure.ForRun(__exception);");
            _writer.Close();
            _writer.Close();
            _writer.Line();

            _writer.Line(GeneratedCode);
            _writer.Open($"private static async {TaskType}<{output}> __RunStepsAsync({OrchestrationContext} __context, __Input __input)");
            if (_model.Stages.Count == 0)
            {
                _writer.Line("await global::System.Threading.Tasks.Task.CompletedTask;");
                _writer.Line("return null;");
                _writer.Close();
                return;
            }

            if (IsDataflow)
            {
                WriteDurableDataflowRun();
            }
            else
            {
                for (var i = 0; i < _model.Stages.Count; i++)
                {
                    if (i > 0)
                    {
                        _writer.Line();
                    }

                    WriteDurableStage(_model.Stages[i], i);
                }
            }

            _writer.Line();
            WriteDurableReturn();
            _writer.Close();
        }

        private void WriteDurableReturn()
        {
            var results = DurableResults();
            if (results.Length == 0)
            {
                _writer.Line("return null;");
            }
            else if (results.Length == 1)
            {
                _writer.Line($"return {ToWire(results[0].Type, results[0].Local)};");
            }
            else
            {
                _writer.Line("return new __Output");
                _writer.Line("{");
                _writer.Indent();
                foreach (var (name, type, local) in results)
                {
                    _writer.Line($"{Identifiers.Field(name)} = {ToWire(type, local)},");
                }

                _writer.Unindent();
                _writer.Line("};");
            }
        }

        private void WriteDurableStage(StageModel stage, int stageIndex)
        {
            var number = (stageIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (stageIndex > 0)
            {
                WriteDeadlineGate();
            }

            if (!stage.IsGroup)
            {
                var step = _model.Steps[stage.Steps[0]];
                _writer.Line($"// Stage {number}: {Identifiers.Comment(step.MethodName)}.");
                WriteForEachOptionsLocal(step);
                var call = DurableCall(step, catchFailure: Plan(step).CatchesFailure);
                _writer.Line(step.HasValue ? $"var {Local(step)} = await {call};" : $"await {call};");
                return;
            }

            var members = stage.Steps.Select(index => _model.Steps[index]).ToArray();
            var timeout = stage.TimeoutMilliseconds > 0 ? $", {stage.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms" : string.Empty;
            _writer.Line($"// Stage {number}: group '{Identifiers.Comment(stage.Group!)}' ({stage.Failure}{timeout}): every member's activity starts now.");
            foreach (var member in members)
            {
                WriteForEachOptionsLocal(member);
                var catchFailure = member.ContinueOnError && stage.Failure != GroupFailure.ContinueOnError;
                _writer.Line($"var {TaskLocal(member)} = {DurableCall(member, catchFailure)};");
            }

            var tasks = string.Join(", ", members.Select(TaskLocal));
            var group = Identifiers.StringLiteral(stage.Group!);
            var wait = stage.Failure switch
            {
                GroupFailure.WaitAll => $"{DurableRuntime}DurableGroup.WaitAllAsync({tasks})",
                GroupFailure.ContinueOnError => $"{DurableRuntime}DurableGroup.ContinueOnErrorAsync({group}, {stage.MinSuccessCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {tasks})",
                GroupFailure.FirstSuccess => $"{DurableRuntime}DurableGroup.FirstSuccessAsync({group}, {tasks})",
                _ => $"{DurableRuntime}DurableGroup.FailFastAsync({tasks})",
            };
            if (stage.TimeoutMilliseconds > 0)
            {
                wait = $"{DurableRuntime}DurableDeadline.GroupAsync(__context, {group}, {stage.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {wait})";
            }

            if (stage.Failure == GroupFailure.FirstSuccess)
            {
                _writer.Line($"var {Identifiers.Escape(_groupLocals[stageIndex])} = await {wait};");
                return;
            }

            _writer.Line($"await {wait};");
            foreach (var member in members.Where(member => member.HasValue))
            {
                _writer.Line(stage.Failure == GroupFailure.ContinueOnError
                    ? $"var {Local(member)} = {DurableRuntime}DurableGroup.OutcomeOf({TaskLocal(member)});"
                    : $"var {Local(member)} = await {TaskLocal(member)};");
            }
        }

        private string TaskLocal(StepModel step) => _taskLocals[IndexOf(step)];

        // Under a workflow time limit: once it has expired, the rest of the run schedules nothing.
        private void WriteDeadlineGate()
        {
            if (_model.TimeoutMilliseconds > 0)
            {
                _writer.Line($"{DurableRuntime}DurableDeadline.ThrowIfEnded(__context);");
            }
        }

        /// <summary>The task of one step's work in the orchestration: its activity (per item, per attempt).</summary>
        private string DurableCall(StepModel step, bool catchFailure)
        {
            string call;
            if (step.ForEach is { } forEach)
            {
                call = ForEachCall(step, forEach);
            }
            else
            {
                call = AttemptCall(step, null, "-1", "-1");
            }

            return catchFailure ? $"{DurableRuntime}DurableStep.CatchAsync({call})" : call;
        }

        // One activity call, under the step's retry and timeout policy when it has one.
        // In a chunk's sub-orchestration (fromChunk) the step's other arguments come from the chunk's input, already in wire form.
        private string AttemptCall(StepModel step, string? item, string index, string count, bool fromChunk = false)
        {
            var result = ActivityResultType(step);
            if (Plan(step).HasResilience || (step.ForEach is not null && (step.Retry is not null || step.TimeoutMilliseconds > 0)))
            {
                var input = ActivityInputExpression(step, item, "__attempt", index, count, fromChunk);
                var indexArgument = item is null ? string.Empty : ", " + index;
                return $"{DurableRuntime}DurableResilience.RunAsync(__context, {DurablePolicy(step)}, __attempt => __context.CallActivityAsync<{result}>({ActivityName(step)}, {input}){indexArgument})";
            }

            // A failure surfaces as a TaskFailedException naming the activity, which the runtime turns into the step's failure.
            return $"__context.CallActivityAsync<{result}>({ActivityName(step)}, {ActivityInputExpression(step, item, "1", index, count, fromChunk)})";
        }

        private string ActivityInputExpression(StepModel step, string? item, string attempt, string index, string count, bool fromChunk)
        {
            var assignments = new List<string>();
            if (item is not null)
            {
                assignments.Add($"__item = {item}");
            }

            if (ActivityNeedsStepContext(step))
            {
                assignments.Add($"__attempt = {attempt}");
                assignments.Add($"__index = {index}");
                assignments.Add($"__count = {count}");
            }

            foreach (var argument in DataArguments(step))
            {
                var field = Identifiers.Field(argument.ParameterName);
                assignments.Add($"{field} = {(fromChunk ? "__chunk." + field : ToWire(argument.Type, DurableArgumentExpression(argument)))}");
            }

            switch (InputShapeOf(step))
            {
                case ActivityInputShape.None:
                    return "(object?)null";
                case ActivityInputShape.Bare:
                    // The one value as it is: no object around it to write, record and read back on every replay.
                    return assignments[0].Substring(assignments[0].IndexOf(" = ", StringComparison.Ordinal) + 3);
                default:
                    return $"new {ActivityInput(step)} {{ {string.Join(", ", assignments)} }}";
            }
        }

        private string DurableArgumentExpression(ArgumentModel argument) => argument.Kind switch
        {
            ArgumentKind.Input => "__input." + Identifiers.Field(_model.Inputs[argument.Source].Name),
            _ => ArgumentExpression(argument),
        };

        private static bool TakesStepContext(StepModel step) => step.Arguments.Any(argument => argument.Kind == ArgumentKind.StepContext);

        private static IEnumerable<ArgumentModel> DataArguments(StepModel step) =>
            step.Arguments.Where(argument => argument.Kind is ArgumentKind.Input or ArgumentKind.StepOutput or ArgumentKind.GroupOutput);

        private void WriteDurablePolicies()
        {
            foreach (var step in _model.Steps.Where(step => step.Retry is not null || step.TimeoutMilliseconds > 0))
            {
                var arguments = new List<string> { Identifiers.StringLiteral(step.MethodName) };
                if (step.Retry is { } retry)
                {
                    arguments.Add($"maxAttempts: {retry.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                    if (retry.DelayMilliseconds > 0)
                    {
                        arguments.Add($"delayMilliseconds: {retry.DelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                    }

                    if (retry.Backoff != 0)
                    {
                        arguments.Add($"backoff: global::Flows.Backoff.{(retry.Backoff == 1 ? "Linear" : "Exponential")}");
                    }

                    if (retry.Jitter)
                    {
                        arguments.Add("jitter: true");
                    }

                    if (retry.RetryOn.Count > 0)
                    {
                        arguments.Add($"retryOn: new global::System.Type[] {{ {string.Join(", ", retry.RetryOn.Select(type => $"typeof({type})"))} }}");
                    }
                }

                if (step.TimeoutMilliseconds > 0)
                {
                    arguments.Add($"timeoutMilliseconds: {step.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                }

                _writer.Line();
                _writer.Line(GeneratedCode);
                _writer.Line($"private static readonly {DurableRuntime}DurableStepPolicy {DurablePolicy(step)} = new({string.Join(", ", arguments)});");
            }
        }
    }
}
