using Flows.Generator.Model;

// The step hooks: the calls around a step, and the partial declarations the user implements.
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        // The step's call between the hooks that are implemented; "__context" must be in scope. What is returned is
        // returnOf(the step's value).
        private void WriteHookedCall(StepModel step, string expression, string hookTarget, Func<string, string> returnOf)
        {
            var hooks = _model.Hooks;
            if (hooks == HookKinds.None)
            {
                // Nothing runs after the call: its value is returned as it comes.
                _writer.Line(step.ReturnsValue ? $"return {returnOf(expression)};" : expression + ";");
                return;
            }

            if ((hooks & HookKinds.Starting) != 0)
            {
                _writer.Line($"{hookTarget}OnStepStarting(in __context);");
            }

            if ((hooks & HookKinds.Completed) != 0)
            {
                _writer.Line("var __started = global::System.Diagnostics.Stopwatch.GetTimestamp();");
            }

            if ((hooks & HookKinds.Failed) != 0)
            {
                if (step.ReturnsValue)
                {
                    _writer.Line($"{step.ValueType} __result;");
                }

                _writer.Open("try");
                _writer.Line(step.ReturnsValue ? $"__result = {expression};" : expression + ";");
                _writer.Close();
                _writer.Open("catch (global::System.Exception __exception)");
                _writer.Line($"{hookTarget}OnStepFailed(in __context, __exception);");
                _writer.Line("throw;");
                _writer.Close();
                if (step.ReturnsValue || (hooks & HookKinds.Completed) != 0)
                {
                    _writer.Line();
                }
            }
            else if (step.ReturnsValue)
            {
                _writer.Line($"var __result = {expression};");
            }
            else
            {
                _writer.Line(expression + ";");
            }

            if ((hooks & HookKinds.Completed) != 0)
            {
                _writer.Line($"{hookTarget}OnStepCompleted(in __context, global::System.Diagnostics.Stopwatch.GetElapsedTime(__started));");
            }

            if (step.ReturnsValue)
            {
                _writer.Line($"return {returnOf("__result")};");
            }
        }

        private void WriteHookDeclarations()
        {
            _writer.Line("/// <summary>Called before each step starts, on the thread that starts it. Implement it to observe the run.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Line($"{_static}partial void OnStepStarting(in global::Flows.StepContext context);");
            _writer.Line();
            _writer.Line("/// <summary>Called after a step has completed, with the time it took.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Line($"{_static}partial void OnStepCompleted(in global::Flows.StepContext context, global::System.TimeSpan elapsed);");
            _writer.Line();
            _writer.Line("/// <summary>Called when a step has failed, with its exception, before the failure reaches the run.</summary>");
            _writer.Line(GeneratedCode);
            _writer.Line($"{_static}partial void OnStepFailed(in global::Flows.StepContext context, global::System.Exception exception);");
        }
    }
}
