namespace Flows.DurableTask.StorageWorker;

/// <summary>
/// What a worker process is told on its command line:
/// <c>--connection &lt;storage connection string&gt; --hub &lt;task hub&gt; --log &lt;folder&gt; --name &lt;worker name&gt;</c>.
/// </summary>
/// <param name="ConnectionString">The storage account.</param>
/// <param name="TaskHub">The task hub, shared with the other processes of the test.</param>
/// <param name="LogFolder">Where the <see cref="ExecutionLog"/> files go.</param>
/// <param name="Name">A name for this worker, unique on the task hub (the worker id is made of it and the process id).</param>
public sealed record WorkerArguments(string ConnectionString, string TaskHub, string LogFolder, string Name)
{
    /// <summary>The line a worker writes to its standard output once it has started and connected to its sidecar.</summary>
    public const string ReadyLine = "worker ready";

    /// <summary>The command line of a worker, for <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>.</summary>
    public IEnumerable<string> ToCommandLine() =>
        ["--connection", ConnectionString, "--hub", TaskHub, "--log", LogFolder, "--name", Name];

    /// <summary>Reads a command line written by <see cref="ToCommandLine"/>.</summary>
    /// <exception cref="ArgumentException">An option is missing, unknown or has no value.</exception>
    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count || args[i] is not ("--connection" or "--hub" or "--log" or "--name"))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'. Usage: --connection <string> --hub <name> --log <folder> --name <name>");
            }

            values[args[i]] = args[i + 1];
        }

        string Required(string option) =>
            values.TryGetValue(option, out var value) ? value : throw new ArgumentException($"Missing {option}.");

        return new WorkerArguments(Required("--connection"), Required("--hub"), Required("--log"), Required("--name"));
    }
}
