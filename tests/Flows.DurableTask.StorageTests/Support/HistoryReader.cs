using System.Text.Json;
using DurableTask.Core.History;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>What an orchestration's recorded history says about its activities, by input (the item).</summary>
/// <param name="Scheduled">The items whose activity call the history holds.</param>
/// <param name="Completed">The items whose activity completion the history holds.</param>
public sealed record RecordedActivities(IReadOnlySet<int> Scheduled, IReadOnlySet<int> Completed);

/// <summary>Reads the history dump of the Azure Storage backend (<c>GetOrchestrationHistoryAsync</c>, a JSON array of events).</summary>
public static class HistoryReader
{
    /// <summary>
    /// The activities the history holds: each <see cref="TaskScheduledEvent"/> carries the item as its input, and each
    /// <see cref="TaskCompletedEvent"/> names the scheduled event it completes.
    /// </summary>
    public static RecordedActivities Read(string history)
    {
        using var document = JsonDocument.Parse(history);
        var scheduled = new Dictionary<int, int>();
        var completed = new List<int>();
        foreach (var historyEvent in document.RootElement.EnumerateArray())
        {
            switch ((EventType)historyEvent.GetProperty(nameof(HistoryEvent.EventType)).GetInt32())
            {
                case EventType.TaskScheduled:
                    scheduled[historyEvent.GetProperty(nameof(TaskScheduledEvent.EventId)).GetInt32()] =
                        ItemOf(historyEvent.GetProperty(nameof(TaskScheduledEvent.Input)).GetString());
                    break;
                case EventType.TaskCompleted:
                    completed.Add(historyEvent.GetProperty(nameof(TaskCompletedEvent.TaskScheduledId)).GetInt32());
                    break;
            }
        }

        return new RecordedActivities(scheduled.Values.ToHashSet(), completed.Select(id => scheduled[id]).ToHashSet());
    }

    // The input as the backend stores it: the activity input's JSON (the generated input object with the item), inside a one-element array (the DurableTask.Core convention for
    // activity parameters, which the sidecar follows).
    private static int ItemOf(string? input)
    {
        using var document = JsonDocument.Parse(input ?? throw new FormatException("An activity was scheduled without input."));
        var value = document.RootElement;
        if (value.ValueKind == JsonValueKind.Array)
        {
            value = value[0];
        }

        // A generated foreach activity's input holds the item in "__item".
        return value.ValueKind == JsonValueKind.Object ? value.GetProperty("__item").GetInt32() : value.GetInt32();
    }
}
