using System.Globalization;
using System.Text;

namespace Flows.DurableTask.StorageWorker;

/// <summary>
/// Records every execution of an activity body outside the Durable Task store, so that a test can count how often each
/// item really ran and in which process: one line <c>item,pid,phase</c> when the body starts (<see cref="Start"/>) and
/// when it ends (<see cref="End"/>).
/// </summary>
/// <remarks>
/// Each process writes its own file, <c>executions-{pid}.log</c> in the given folder: .NET writes a file at the offset it
/// tracks itself, not with <c>O_APPEND</c>, so two processes appending to one file could overwrite each other's lines.
/// Every line goes to the operating system before the call returns, so a process killed right after keeps it.
/// </remarks>
public sealed class ExecutionLog : IDisposable
{
    /// <summary>The phase of a line written when an item's body starts.</summary>
    public const string StartPhase = "start";

    /// <summary>The phase of a line written when an item's body has done its work, just before it returns.</summary>
    public const string EndPhase = "end";

    private readonly object _lock = new();
    private readonly FileStream _file;
    private readonly int _processId;

    /// <summary>Opens this process's file in <paramref name="folder"/>.</summary>
    public ExecutionLog(string folder)
    {
        _processId = Environment.ProcessId;
        Directory.CreateDirectory(folder);
        _file = new FileStream(
            Path.Combine(folder, FileName(_processId)), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    /// <summary>The name of the file of process <paramref name="processId"/>.</summary>
    public static string FileName(int processId) => $"executions-{processId.ToString(CultureInfo.InvariantCulture)}.log";

    /// <summary>The pattern of every process's file name.</summary>
    public const string FilePattern = "executions-*.log";

    /// <summary>Records that the body of <paramref name="item"/> started in this process.</summary>
    public void Start(int item) => Write(item, StartPhase);

    /// <summary>Records that the body of <paramref name="item"/> finished in this process.</summary>
    public void End(int item) => Write(item, EndPhase);

    private void Write(int item, string phase)
    {
        var line = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{item},{_processId},{phase}\n"));
        lock (_lock)
        {
            _file.Write(line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }
}
