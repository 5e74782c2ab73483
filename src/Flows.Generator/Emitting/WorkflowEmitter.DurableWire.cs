using Flows.Generator.Model;

// What crosses the wire between a durable orchestration and its activities: types and their conversions. The
// orchestrator holds every value in the type the in-process run holds it in; an Outcome (which carries an exception
// object) travels as its wire form, DurableOutcome, in the three shapes the parser lets through (FLOW015).
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private const string DurableRuntime = "global::Flows.DurableTask.Internal.";
    private const string DurableSdk = "global::Microsoft.DurableTask.";

    private sealed partial class Emitter
    {
        private const string OutcomePrefix = "global::Flows.Outcome<";
        private const string OutcomeListPrefix = "global::System.Collections.Generic.IReadOnlyList<global::Flows.Outcome<";
        private const string WireOutcome = DurableRuntime + "DurableOutcome";

        private enum WireShape
        {
            Plain,
            Outcome,
            OutcomeList,
            OutcomeOfOutcomeList,
        }

        private static WireShape ShapeOf(string type, out string value)
        {
            value = type;
            if (type.StartsWith(OutcomePrefix + OutcomeListPrefix, StringComparison.Ordinal)
                && type.EndsWith(">>>", StringComparison.Ordinal))
            {
                value = type.Substring(OutcomePrefix.Length + OutcomeListPrefix.Length, type.Length - OutcomePrefix.Length - OutcomeListPrefix.Length - 3);
                return WireShape.OutcomeOfOutcomeList;
            }

            if (type.StartsWith(OutcomeListPrefix, StringComparison.Ordinal) && type.EndsWith(">>", StringComparison.Ordinal))
            {
                value = type.Substring(OutcomeListPrefix.Length, type.Length - OutcomeListPrefix.Length - 2);
                return WireShape.OutcomeList;
            }

            if (type.StartsWith(OutcomePrefix, StringComparison.Ordinal) && type.EndsWith(">", StringComparison.Ordinal))
            {
                value = type.Substring(OutcomePrefix.Length, type.Length - OutcomePrefix.Length - 1);
                return WireShape.Outcome;
            }

            return WireShape.Plain;
        }

        /// <summary>The type a value of <paramref name="type"/> crosses the wire as.</summary>
        private static string WireType(string type) => ShapeOf(type, out var value) switch
        {
            WireShape.Outcome => $"{WireOutcome}<{value}>",
            WireShape.OutcomeList => $"{WireOutcome}<{value}>[]",
            WireShape.OutcomeOfOutcomeList => $"{WireOutcome}<{WireOutcome}<{value}>[]>",
            _ => type,
        };

        private static string ToWire(string type, string expression) =>
            ShapeOf(type, out _) == WireShape.Plain ? expression : $"{WireOutcome}.ToWire({expression})";

        private static string FromWire(string type, string expression) =>
            ShapeOf(type, out _) == WireShape.Plain ? expression : $"{WireOutcome}.FromWire({expression})";

        /// <summary>What an activity returns: the step's value (one item's, for a foreach), or nothing.</summary>
        private static string ActivityResultType(StepModel step) => step.ValueType ?? "object?";

        /// <summary>The orchestration's result as the in-process run gives it, or null when the workflow has none.</summary>
        private string? DurableResultType()
        {
            var resultType = ResultType();
            return resultType == ValueTaskType ? null : resultType.Substring(ValueTaskType.Length + 1, resultType.Length - ValueTaskType.Length - 2);
        }

        /// <summary>The values that make the result: one expression per result, with its type (in the orchestration).</summary>
        private (string Name, string Type, string Local)[] DurableResults()
        {
            if (LastStageIsFirstSuccess(out var last))
            {
                var group = _model.Stages[last];
                return new[] { (GroupLocal(group.Group!), GroupValueType(group), Identifiers.Escape(_groupLocals[last])) };
            }

            return _model.ResultSteps.Select(step => (step.OutputName, step.OutputType!, Local(step))).ToArray();
        }

        /// <summary>The orchestration's output type on the wire: the one result's wire type, the output class for several, or none.</summary>
        private string DurableOutputType()
        {
            var results = DurableResults();
            return results.Length switch
            {
                0 => "object?",
                1 => WireType(results[0].Type),
                _ => "__Output",
            };
        }
    }
}
