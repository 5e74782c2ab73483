using System.Text.Json;
using DurableTask.Core.History;

namespace Flows.DurableSample;

/// <summary>Prints an orchestration's history, the record the backend keeps of a run, as a timeline.</summary>
internal static class History
{
    public static void Print(IReadOnlyList<HistoryEvent> events, TextWriter output)
    {
        // From when the run started (the first event marks when the orchestrator first woke up, a little later).
        var start = events.OfType<ExecutionStartedEvent>().FirstOrDefault()?.Timestamp ?? (events.Count > 0 ? events[0].Timestamp : default);
        var scheduled = new Dictionary<int, string>();
        output.WriteLine($"  history  {events.Count} events (each replay of the orchestrator reads them; each activity ran once):");
        foreach (var historyEvent in events)
        {
            var what = historyEvent switch
            {
                ExecutionStartedEvent started => $"started      {started.Name}",
                TaskScheduledEvent task => Scheduled(scheduled, task),
                TaskCompletedEvent completed => $"completed    {Step(scheduled, completed.TaskScheduledId)}",
                TaskFailedEvent failed => $"failed       {Step(scheduled, failed.TaskScheduledId)}",
                TimerCreatedEvent timer => $"timer        until +{(timer.FireAt - start).TotalMilliseconds:0} ms",
                TimerFiredEvent => "timer fired",
                ExecutionCompletedEvent completed => $"ended        {completed.OrchestrationStatus}",
                _ => null,
            };
            if (what is not null)
            {
                output.WriteLine($"    +{(historyEvent.Timestamp - start).TotalMilliseconds,6:0} ms  {what}");
            }
        }
    }

    private static string Scheduled(Dictionary<int, string> scheduled, TaskScheduledEvent task)
    {
        // Activities are named "<orchestration>.<step>": show the step.
        var name = task.Name ?? string.Empty;
        var step = name[(name.LastIndexOf('.') + 1)..];
        if (ShortInputOf(task.Input) is { } input)
        {
            step += $" ({input})";
        }

        scheduled[task.EventId] = step;
        return $"scheduled    {step}";
    }

    // A short input shown beside the step: a foreach item's activity takes the item (recorded in a one-element array), as
    // it is or, when the step takes a StepContext or the workflow has hooks, in an object with the attempt and position.
    private static string? ShortInputOf(string? input)
    {
        try
        {
            using var document = JsonDocument.Parse(input ?? "null");
            var value = document.RootElement;
            if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1)
            {
                value = value[0];
            }

            // With a step context (or hooks) the input is an object holding the item, if any, in "__item".
            if (value.ValueKind == JsonValueKind.Object)
            {
                return value.TryGetProperty("__item", out var item) ? "item " + item.GetRawText() : null;
            }

            var text = value.GetRawText();
            return value.ValueKind is JsonValueKind.Number or JsonValueKind.String && text.Length <= 24 ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Step(Dictionary<int, string> scheduled, int taskScheduledId) =>
        scheduled.TryGetValue(taskScheduledId, out var step) ? step : $"task {taskScheduledId}";
}
