using Flows.Generator.Model;

// Dataflow scheduling in the durable orchestrator: each step's activity starts as soon as every step it waits for has
// completed, as in-process. One node method per step awaits what the step waits for, then calls its activity.
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        private string DurableNode(StepModel step) => $"__Node{Number(step)}Async";

        private void WriteDurableDataflowRun()
        {
            var order = TopologicalOrder();
            _writer.Line("// Dataflow: each step's activity starts as soon as every step it waits for has completed. After a failure");
            _writer.Line("// no activity starts; the run ends with the first failure once the started ones have stopped.");
            _writer.Line($"var __flow = new {DurableRuntime}DurableDataflow();");
            foreach (var index in order)
            {
                var step = _model.Steps[index];
                var dependencies = DependenciesOf(step).Select(dependency => ", " + _taskLocals[dependency]);
                _writer.Line($"var {TaskLocal(step)} = {DurableNode(step)}(__context, __input, __flow{string.Concat(dependencies)});");
            }

            _writer.Line($"await {DurableRuntime}DurableGroup.FailFastAsync({string.Join(", ", order.Select(index => _taskLocals[index]))});");
            foreach (var step in _model.ResultSteps)
            {
                _writer.Line($"var {Local(step)} = await {TaskLocal(step)};");
            }
        }

        private void WriteDataflowNodesDurable()
        {
            if (!IsDataflow)
            {
                return;
            }

            foreach (var step in _model.Steps)
            {
                var dependencies = DependenciesOf(step);
                var parameters = string.Concat(dependencies.Select(dependency => $", {TaskOf(_model.Steps[dependency])} {_taskLocals[dependency]}"));
                _writer.Line();
                _writer.Line($"// Step {Identifiers.Comment(step.MethodName)}: starts once what it waits for has completed.");
                _writer.Line(GeneratedCode);
                _writer.Open($"private static async {TaskOf(step)} {DurableNode(step)}({OrchestrationContext} __context, __Input __input, {DurableRuntime}DurableDataflow __flow{parameters})");
                var consumed = new HashSet<int>(step.Arguments.Where(argument => argument.Kind == ArgumentKind.StepOutput).Select(argument => argument.Source));
                if (step.ForEach is { SourceKind: ArgumentKind.StepOutput } forEach)
                {
                    consumed.Add(forEach.Source);
                }

                foreach (var dependency in dependencies)
                {
                    var producer = _model.Steps[dependency];
                    _writer.Line(consumed.Contains(dependency) && producer.HasValue
                        ? $"var {Local(producer)} = await {_taskLocals[dependency]};"
                        : $"await {_taskLocals[dependency]};");
                }

                _writer.Line("__flow.ThrowIfFailed();");
                WriteDeadlineGate();
                _writer.Open("try");
                WriteForEachOptionsLocal(step);
                var call = DurableCall(step, Plan(step).CatchesFailure);
                _writer.Line(step.HasValue ? $"return await {call};" : $"await {call};");
                _writer.Close();
                _writer.Open("catch");
                _writer.Line("__flow.Fail();");
                _writer.Line("throw;");
                _writer.Close();
                _writer.Close();
            }
        }
    }
}
