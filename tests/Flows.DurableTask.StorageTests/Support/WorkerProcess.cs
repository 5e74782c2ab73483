using System.Reflection;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>
/// A worker process (tests/Flows.DurableTask.StorageWorker), started with <c>dotnet</c> from the worker project's own
/// output folder. Disposing it kills it.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly ChildProcess _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(string name, Func<Action<string>, ChildProcess> start)
    {
        Name = name;
        _process = start(line =>
        {
            if (line.StartsWith(WorkerArguments.ReadyLine, StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }
        });
        Id = _process.Id;
    }

    /// <summary>The worker's name on the task hub.</summary>
    public string Name { get; }

    /// <summary>The process id, as the execution log records it.</summary>
    public int Id { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a worker and waits until it says it is ready.</summary>
    /// <exception cref="TimeoutException">It did not get ready within a minute (it is killed).</exception>
    public static async Task<WorkerProcess> StartAsync(WorkerArguments arguments, string workingDirectory)
    {
        var worker = new WorkerProcess(
            arguments.Name,
            onLine => ChildProcess.Start(DotnetHost(), [WorkerAssembly, .. arguments.ToCommandLine()], workingDirectory, onLine));
        try
        {
            var ready = await Task.WhenAny(worker._ready.Task, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false);
            if (ready != worker._ready.Task)
            {
                throw new TimeoutException($"Worker '{arguments.Name}' did not get ready within 60 s (exited: {worker.HasExited}):\n{worker.Tail()}");
            }

            return worker;
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    /// <summary>Kills the worker at once (SIGKILL): no shutdown, no cleanup, as a crash.</summary>
    public void Kill() => _process.Kill();

    /// <summary>The last lines of the worker's output, for a failure message.</summary>
    public string Tail() => _process.Tail();

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    // The worker's main assembly in its own output folder, where its runtimeconfig.json and deps.json are; the project
    // file records the path at build time.
    private static string WorkerAssembly { get; } =
        typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "StorageWorkerAssembly")?.Value
        ?? throw new InvalidOperationException("The test assembly does not record where the storage worker was built.");

    // The dotnet host that runs the tests runs the worker too.
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
