using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        private bool IsDataflow => _model.Scheduling == SchedulingKind.Dataflow;

        // What a step waits for: the steps it consumes and its [After] steps; a member of a group waits for what
        // any member of its group waits for, so that the group starts together.
        private int[] DependenciesOf(StepModel step)
        {
            var stage = _model.Stages[step.Stage];
            var dependencies = new SortedSet<int>(stage.Steps.SelectMany(member => StepOverlap.DirectDependencies(_model, member)));
            dependencies.ExceptWith(stage.Steps);
            return dependencies.ToArray();
        }

        // Steps in an order where every step comes after what it waits for: declaration order where it can.
        private List<int> TopologicalOrder()
        {
            var order = new List<int>();
            var placed = new bool[_model.Steps.Count];
            while (order.Count < _model.Steps.Count)
            {
                var progressed = false;
                for (var i = 0; i < _model.Steps.Count; i++)
                {
                    if (!placed[i] && DependenciesOf(_model.Steps[i]).All(dependency => placed[dependency]))
                    {
                        placed[i] = true;
                        order.Add(i);
                        progressed = true;
                        break;
                    }
                }

                if (!progressed)
                {
                    throw new InvalidOperationException("The steps form a cycle; the parser reports it and generates nothing.");
                }
            }

            return order;
        }

        private string NodeName(StepModel step) => $"__Flow{step.OutputName}Async";

        private string TaskOf(StepModel step) => step.HasValue ? $"{TaskType}<{step.OutputType}>" : TaskType;

        // A node serves both bodies: it takes the observed body's observer, null from the plain one.
        private static string NodeObserver => RunBody.Observed.Observer!;

        private void WriteDataflowRun(RunBody body)
        {
            var order = TopologicalOrder();
            _writer.Line("// Dataflow: each step starts as soon as every step it waits for has completed. The first failure");
            _writer.Line("// cancels the others; the run ends when every started step has stopped.");
            _writer.Line($"var __cancellation = global::Flows.Internal.LinkedCancellation.Create({_runToken});");
            _writer.Open("try");
            foreach (var index in order)
            {
                var step = _model.Steps[index];
                var arguments = DependenciesOf(step).Select(dependency => _taskLocals[dependency])
                    .Concat(InputsOf(step).Select(input => Identifiers.Escape(_inputParameters[input])))
                    .Concat(new[] { _controlParameter, body.Observer ?? "null", "__cancellation.Token" });
                _writer.Line($"var {_taskLocals[index]} = {NodeName(step)}({string.Join(", ", arguments)});");
            }

            _writer.Line();
            _writer.Line($"var __block = global::Flows.Internal.ParallelBlock.Rent(global::Flows.FailurePolicy.FailFast, {_model.Steps.Count}, __cancellation.Source, {_runToken});");
            foreach (var index in order)
            {
                _writer.Line($"__block.Add({_taskLocals[index]});");
            }

            _writer.Line($"await __block.WhenAll(){ConfigureAwait};");
            if (_model.TimeoutMilliseconds > 0)
            {
                WriteRunDeadlineCheck();
            }

            if (_model.ResultSteps.FirstOrDefault() is { } last)
            {
                _writer.Line($"return {_taskLocals[IndexOf(last)]}.Result;");
            }

            _writer.Close();
            _writer.Open("finally");
            _writer.Line("__cancellation.Dispose();");
            _writer.Close();
        }

        // The inputs a step's call needs: its own, a foreach source, and those of the members it stands for.
        private int[] InputsOf(StepModel step)
        {
            var inputs = new SortedSet<int>();
            foreach (var argument in step.Arguments)
            {
                if (argument.Kind == ArgumentKind.Input)
                {
                    inputs.Add(argument.Source);
                }
            }

            if (step.ForEach is { SourceKind: ArgumentKind.Input } forEach)
            {
                inputs.Add(forEach.Source);
            }

            return inputs.ToArray();
        }

        private void WriteDataflowNodes()
        {
            foreach (var step in _model.Steps)
            {
                _writer.Line();
                WriteDataflowNode(step);
            }
        }

        private void WriteDataflowNode(StepModel step)
        {
            var dependencies = DependenciesOf(step);
            var parameters = dependencies.Select(dependency => $"{TaskOf(_model.Steps[dependency])} {_taskLocals[dependency]}")
                .Concat(InputsOf(step).Select(input => $"{_model.Inputs[input].Type} {Identifiers.Escape(_inputParameters[input])}"))
                .Concat(new[] { $"global::Flows.FlowControl? {_controlParameter}", $"global::Flows.Internal.RunObserver? {NodeObserver}", $"{CancellationTokenType} {_runToken}" });
            var returnType = step.HasValue ? $"{TaskType}<{step.OutputType}>" : TaskType;

            _writer.Line($"/// <summary>Runs <see cref=\"{Identifiers.XmlEscape(step.MethodName)}\"/> once what it waits for has completed.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Open($"private {_static}async {returnType} {NodeName(step)}({string.Join(", ", parameters)})");
            var consumed = new HashSet<int>(step.Arguments.Where(argument => argument.Kind == ArgumentKind.StepOutput).Select(argument => argument.Source));
            if (step.ForEach is { SourceKind: ArgumentKind.StepOutput } forEach)
            {
                consumed.Add(forEach.Source);
            }

            foreach (var dependency in dependencies)
            {
                var task = _taskLocals[dependency];
                _writer.Line(consumed.Contains(dependency)
                    ? $"var {Identifiers.Escape(_outputLocals[dependency])} = await {task}{ConfigureAwait};"
                    : $"await {task}{ConfigureAwait};");
            }

            WriteStageGate();
            var call = CallOf(step, _runToken, RunBody.Plain);
            if (step.ForEach is { } loop)
            {
                // The foreach engine observes the step and its items itself when the run is observed.
                call = call with { Expression = ForEachInvocation(step, loop, _runToken, NodeObserver) };
            }

            if (!call.IsAwaitable)
            {
                _writer.Line("// A synchronous step runs on the thread pool, alongside the steps that do not wait for it.");
                _writer.Line("await default(global::Flows.Internal.ThreadPoolHop);");
                _writer.Line($"{_runToken}.ThrowIfCancellationRequested();");
            }

            if (step.ForEach is null)
            {
                _writer.Line();
                var observed = ObservedCall(step, _runToken, NodeObserver);
                _writer.Open($"if ({NodeObserver} is not null)");
                var observedExpression = observed.IsAwaitable ? $"await {observed.Expression}{ConfigureAwait}" : observed.Expression;
                if (step.HasValue)
                {
                    _writer.Line($"return {observedExpression};");
                }
                else
                {
                    _writer.Line(observedExpression + ";");
                    _writer.Line("return;");
                }

                _writer.Close();
                _writer.Line();
            }

            var expression = call.IsAwaitable ? $"await {call.Expression}{ConfigureAwait}" : call.Expression;
            _writer.Line(step.HasValue ? $"return {expression};" : expression + ";");
            _writer.Close();
        }
    }
}
