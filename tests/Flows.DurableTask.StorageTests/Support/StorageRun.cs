using System.Diagnostics;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>
/// One test's task hub: its client, the worker processes the test starts on it, and their execution logs. Disposing it
/// kills every worker still running and writes their output to the test's output.
/// </summary>
public sealed class StorageRun : IAsyncDisposable
{
    private readonly StorageFixture _fixture;
    private readonly StorageClient _client;
    private readonly ITestOutputHelper _output;
    private readonly List<WorkerProcess> _workers = new();

    internal StorageRun(StorageFixture fixture, string taskHub, string folder, StorageClient client, ITestOutputHelper output)
    {
        _fixture = fixture;
        TaskHub = taskHub;
        Folder = folder;
        _client = client;
        _output = output;
    }

    /// <summary>The task hub.</summary>
    public string TaskHub { get; }

    /// <summary>This run's folder (worker working directories, execution logs).</summary>
    public string Folder { get; }

    /// <summary>The execution logs' folder.</summary>
    public string LogFolder => Path.Combine(Folder, "executions");

    /// <summary>The client, connected to the task hub.</summary>
    public Microsoft.DurableTask.Client.DurableTaskClient Client => _client.Client;

    /// <summary>The backend's own record of the run.</summary>
    public StorageClient Store => _client;

    /// <summary>Starts a worker process on the task hub and waits until it is ready.</summary>
    public async Task<WorkerProcess> StartWorkerAsync(string name)
    {
        var arguments = new WorkerArguments(_fixture.ConnectionString, TaskHub, LogFolder, name);
        var worker = await WorkerProcess.StartAsync(arguments, Folder);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    /// <summary>What the execution logs say now.</summary>
    public ExecutionRecords Executions() => ExecutionRecords.Read(LogFolder);

    /// <summary>Waits until <paramref name="condition"/> holds for the execution logs.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>.</exception>
    public async Task WaitForExecutionsAsync(Func<ExecutionRecords, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Executions()))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.\n{Diagnostics()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The workers' and the emulator's recent output, for a failure message.</summary>
    public string Diagnostics()
    {
        lock (_workers)
        {
            return string.Join(
                "\n",
                _workers.Select(worker => $"--- worker {worker.Name} (pid {worker.Id}, exited: {worker.HasExited}):\n{worker.Tail()}")
                    .Append($"--- azurite:\n{_fixture.Emulator.Tail()}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        WorkerProcess[] workers;
        lock (_workers)
        {
            workers = _workers.ToArray();
        }

        foreach (var worker in workers)
        {
            worker.Dispose();
            _output.WriteLine($"--- worker {worker.Name} (pid {worker.Id}) output:\n{worker.Tail()}");
        }

        await _client.DisposeAsync();
    }
}
