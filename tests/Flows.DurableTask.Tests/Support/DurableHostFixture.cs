using System.Net;
using System.Net.Sockets;
using Flows.DurableTask.Tests.Workflows;
using Microsoft.DurableTask.Testing;

namespace Flows.DurableTask.Tests.Support;

/// <summary>
/// One in-process Durable Task host for every test: an in-memory backend behind a gRPC sidecar on a loopback port, a
/// worker with the test orchestrators and activities, and a client. Started once; the tests share it one at a time.
/// </summary>
public sealed class DurableHostFixture : IAsyncLifetime
{
    private DurableTaskTestHost? _host;

    public DurableTaskClient Client => _host?.Client ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync()
    {
        // DOTNET_PROCESSOR_COUNT (durable.runsettings) lets the host run more than two activities at once here.
        Assert.True(Environment.ProcessorCount >= 4, "Run the tests with durable.runsettings (dotnet test does).");

        // The sidecar's web host reads its logging levels from the environment (it is a default host builder): without
        // this it writes four console lines per gRPC call, which slows every test down on a busy machine.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

        // The host picks a random port from 30000-40000 when none is given, which may be taken: give it a free one.
        _host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                Scenarios.Register(registry);
                GeneratedWorkflows.Register(registry);
            },
            new DurableTaskTestHostOptions { Port = FreeLoopbackPort(), ConfigureServices = GeneratedWorkflows.AddServices });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Schedules <paramref name="orchestrator"/> with <paramref name="input"/> under a new instance id and returns the id.</summary>
    public Task<string> ScheduleAsync(string orchestrator, object input) =>
        Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(NewInstanceId(orchestrator)));

    /// <summary>Runs <paramref name="orchestrator"/> to its end and reads its result the way generated code will.</summary>
    public async Task<(string InstanceId, T Result)> RunAsync<T>(string orchestrator, object input)
    {
        var instanceId = await ScheduleAsync(orchestrator, input);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return (instanceId, await DurableRun.WaitForResultAsync<T>(Client, instanceId, limit.Token));
    }

    /// <summary>Runs <paramref name="orchestrator"/>, which must fail, and returns the exception its client sees.</summary>
    public async Task<(string InstanceId, DurableWorkflowException Failure)> RunFailingAsync(string orchestrator, object input)
    {
        var instanceId = await ScheduleAsync(orchestrator, input);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => DurableRun.WaitForResultAsync<object>(Client, instanceId, limit.Token));
        return (instanceId, failure);
    }

    /// <summary>When the backend recorded the run's end.</summary>
    public async Task<DateTime> CompletedAtAsync(string instanceId) =>
        (await Client.GetInstanceAsync(instanceId) ?? throw new InvalidOperationException($"No instance '{instanceId}'.")).LastUpdatedAt.UtcDateTime;

    /// <summary>
    /// Durable timers on this host fire from <see cref="Task.Delay(TimeSpan)"/>, which may end up to a millisecond or so
    /// before the wall clock reaches the timer's time: lower bounds on orchestration time allow for that.
    /// </summary>
    public static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(3);

    private static string NewInstanceId(string orchestrator) => $"{orchestrator}-{Guid.NewGuid():N}";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The tests that share the host; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DurableCollection : ICollectionFixture<DurableHostFixture>
{
    public const string Name = "Durable host";
}
