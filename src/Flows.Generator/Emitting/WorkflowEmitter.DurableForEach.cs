using Flows.Generator.Model;

// A durable foreach: a sliding window over activity calls in the workflow's orchestration while the source is within the
// history bound (DurableSplit.ItemsPerOrchestration); above it, chunks of that many items, each in a sub-orchestration
// of its own, one after another. Each foreach step has its chunk orchestrator and the class of its input.
namespace Flows.Generator.Emitting;

internal static partial class WorkflowEmitter
{
    private sealed partial class Emitter
    {
        private string ForEachOptionsLocal(StepModel step) => "__Options" + Number(step);

        private string ForEachItemsLocal(StepModel step) => "__Items" + Number(step);

        private string ChunkClass(StepModel step) => "__Chunk" + Number(step);

        private string ChunkName(StepModel step) => "__Chunk" + Number(step) + "Name";

        private string ChunkOrchestrator(StepModel step) => "__RunChunk" + Number(step) + "Async";

        // What a chunk gives back: its items' results in order, or their outcomes in wire form (the parent checks the rate).
        private static string ChunkResultType(StepModel step) =>
            step.ForEach!.ContinueOnError ? $"{WireOutcome}<{ActivityResultType(step)}>[]" : $"{ActivityResultType(step)}[]";

        // The options and the source as a list. In a chunk, the processor count and the items come from the chunk's input,
        // and the success rate is left to the parent, which sees every item.
        private void WriteForEachOptionsLocal(StepModel step, bool inChunk = false)
        {
            if (step.ForEach is not { } forEach)
            {
                return;
            }

            var input = inChunk ? "__chunk" : "__input";
            var degree = forEach.MaxDegreeOfParallelism is { } value
                ? value.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"global::System.Math.Max(1, {input}.__processorCount)";
            var arguments = new List<string>
            {
                Identifiers.StringLiteral(_model.Type.Name),
                Identifiers.StringLiteral(step.MethodName),
                $"maxDegreeOfParallelism: {degree}",
                "runOnThreadPool: false",
            };
            if (forEach.ContinueOnError)
            {
                arguments.Add("continueOnError: true");
            }

            if (forEach.MinSuccessRate > 0 && !inChunk)
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

            _writer.Line($"var {ForEachOptionsLocal(step)} = new global::Flows.Internal.ForEachOptions({string.Join(", ", arguments)});");

            // Typed as the list the runtime takes: an array or another list type may have no public Count.
            var items = inChunk ? "__chunk.__items" : ForEachItems(forEach);
            _writer.Line($"global::System.Collections.Generic.IReadOnlyList<{forEach.ItemType}> {ForEachItemsLocal(step)} = {items};");
        }

        // The source as a list: arrays and lists as they are; another enumerable (already a value in the history) read once.
        private string ForEachItems(ForEachModel forEach)
        {
            var source = forEach.SourceKind == ArgumentKind.Input
                ? "__input." + Identifiers.Field(_model.Inputs[forEach.Source].Name)
                : Local(_model.Steps[forEach.Source]);
            return forEach.SourceShape == SourceShape.Enumerable
                ? $"global::System.Linq.Enumerable.ToArray<{forEach.ItemType}>({source})"
                : source;
        }

        private string ForEachCall(StepModel step, ForEachModel forEach)
        {
            var method = forEach.ContinueOnError ? "RunWithOutcomesAsync" : "RunAsync";
            var items = ForEachItemsLocal(step);
            var chunkInput = new List<string>
            {
                $"__items = {DurableRuntime}DurableSplit.Slice({items}, __offset, __length)",
                "__offset = __offset",
                $"__count = {items}.Count",
            };
            if (forEach.MaxDegreeOfParallelism is null)
            {
                chunkInput.Add("__processorCount = __input.__processorCount");
            }

            foreach (var argument in DataArguments(step))
            {
                chunkInput.Add($"{Identifiers.Field(argument.ParameterName)} = {ToWire(argument.Type, DurableArgumentExpression(argument))}");
            }

            var runChunk = $"(__offset, __length) => __context.CallSubOrchestratorAsync<{ChunkResultType(step)}>({ChunkName(step)}, new {ChunkClass(step)} {{ {string.Join(", ", chunkInput)} }}, {DurableRuntime}DurableSplit.ChunkOptions(__context, {Identifiers.StringLiteral(step.MethodName)}, __offset))";
            return $"{DurableRuntime}DurableSplit.{method}<{forEach.ItemType}, {ActivityResultType(step)}>(__context, {items}, {ForEachOptionsLocal(step)}, (__item, __index) => {AttemptCall(step, "__item", "__index", $"{items}.Count")}, {runChunk})";
        }

        private void WriteChunkOrchestrators()
        {
            foreach (var step in _model.Steps)
            {
                if (step.ForEach is not { } forEach)
                {
                    continue;
                }

                var result = ChunkResultType(step);
                _writer.Line();
                _writer.Line($"// Foreach step {Identifiers.Comment(step.MethodName)} above the history bound: one chunk of its items, in a sub-orchestration of its own.");
                _writer.Line($"private const string {ChunkName(step)} = OrchestrationName + {Identifiers.StringLiteral("." + step.MethodName + ".Items")};");
                _writer.Line();
                _writer.Line(GeneratedCode);
                _writer.Open($"private static async {TaskType}<{result}> {ChunkOrchestrator(step)}({OrchestrationContext} __context, {ChunkClass(step)} __chunk)");
                _writer.Open("try");
                WriteForEachOptionsLocal(step, inChunk: true);
                var call = AttemptCall(step, "__item", "__chunk.__offset + __index", "__chunk.__count", fromChunk: true);
                var run = forEach.ContinueOnError
                    ? $"{DurableRuntime}DurableSplit.RunChunkWithOutcomesAsync"
                    : $"{DurableRuntime}DurableForEach.RunAsync";
                var results = $"await {run}<{forEach.ItemType}, {ActivityResultType(step)}>(__context, {ForEachItemsLocal(step)}, {ForEachOptionsLocal(step)}, (__item, __index) => {call})";
                _writer.Line(forEach.ContinueOnError
                    ? $"return {results};"
                    : $"return global::System.Linq.Enumerable.ToArray({results});");
                _writer.Close();
                _writer.Open("catch (global::System.Exception __exception)");
                _writer.Line($"throw {DurableRuntime}DurableFailure.ForRun(__exception);");
                _writer.Close();
                _writer.Close();
            }
        }

        private void WriteChunkClasses()
        {
            foreach (var step in _model.Steps)
            {
                if (step.ForEach is not { } forEach)
                {
                    continue;
                }

                _writer.Line();
                _writer.Line($"/// <summary>The input of a chunk of foreach step <c>{Identifiers.XmlEscape(step.MethodName)}</c>: its items, where they start in the source, and the step's other arguments.</summary>");
                _writer.Line(GeneratedCode);
                _writer.Open($"private sealed class {ChunkClass(step)}");
                WriteWireProperty($"{forEach.ItemType}[]", "__items");
                WriteWireProperty("int", "__offset", valueType: true);
                WriteWireProperty("int", "__count", valueType: true);
                if (forEach.MaxDegreeOfParallelism is null)
                {
                    WriteWireProperty("int", "__processorCount", valueType: true);
                }

                foreach (var argument in DataArguments(step))
                {
                    WriteWireProperty(WireType(argument.Type), Identifiers.Field(argument.ParameterName));
                }

                _writer.Close();
            }
        }
    }
}
