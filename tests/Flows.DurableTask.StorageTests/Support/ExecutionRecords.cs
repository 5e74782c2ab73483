using System.Globalization;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>One line of an <see cref="ExecutionLog"/>: an item's body started or ended in a process.</summary>
public readonly record struct Execution(int Item, int ProcessId, string Phase)
{
    public bool IsStart => Phase == ExecutionLog.StartPhase;

    public bool IsEnd => Phase == ExecutionLog.EndPhase;
}

/// <summary>What the worker processes' <see cref="ExecutionLog"/> files say so far: every start and end of an item's body.</summary>
public sealed class ExecutionRecords
{
    private ExecutionRecords(IReadOnlyList<Execution> lines) => Lines = lines;

    /// <summary>Every line of every process, each file in order.</summary>
    public IReadOnlyList<Execution> Lines { get; }

    /// <summary>How many times each item's body started, by item.</summary>
    public IReadOnlyDictionary<int, int> StartsByItem =>
        Lines.Where(line => line.IsStart).GroupBy(line => line.Item).ToDictionary(group => group.Key, group => group.Count());

    /// <summary>The items whose body ended at least once.</summary>
    public IReadOnlySet<int> EndedItems => Lines.Where(line => line.IsEnd).Select(line => line.Item).ToHashSet();

    /// <summary>The items whose body started in process <paramref name="processId"/>.</summary>
    public IReadOnlySet<int> StartedIn(int processId) =>
        Lines.Where(line => line.IsStart && line.ProcessId == processId).Select(line => line.Item).ToHashSet();

    /// <summary>The items whose body ended in process <paramref name="processId"/>.</summary>
    public IReadOnlySet<int> EndedIn(int processId) =>
        Lines.Where(line => line.IsEnd && line.ProcessId == processId).Select(line => line.Item).ToHashSet();

    /// <summary>Reads every process's file in <paramref name="folder"/>; a line still being written is left out.</summary>
    public static ExecutionRecords Read(string folder)
    {
        var lines = new List<Execution>();
        if (!Directory.Exists(folder))
        {
            return new ExecutionRecords(lines);
        }

        foreach (var path in Directory.EnumerateFiles(folder, ExecutionLog.FilePattern).Order(StringComparer.Ordinal))
        {
            string text;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
            {
                text = reader.ReadToEnd();
            }

            var complete = text[..(text.LastIndexOf('\n') + 1)];
            foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split(',');
                if (fields.Length != 3)
                {
                    throw new FormatException($"'{path}' has a malformed line: '{line}'.");
                }

                lines.Add(new Execution(
                    int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), fields[2]));
            }
        }

        return new ExecutionRecords(lines);
    }
}
