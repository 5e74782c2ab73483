using System.Net;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flows.DurableTask.StorageWorker;

/// <summary>
/// The Durable Task gRPC sidecar over a DurableTask.Core backend, on a loopback port the system picks. The .NET SDK
/// (<c>Microsoft.DurableTask.*</c>: <c>DurableTaskWorker</c>, <c>DurableTaskClient</c>) talks only gRPC;
/// <see cref="TaskHubGrpcServer"/> (from Microsoft.DurableTask.InProcessTestHost, which runs it over an in-memory
/// backend) serves that protocol over any <see cref="IOrchestrationService"/>, here the Azure Storage one.
/// </summary>
/// <remarks>
/// In <see cref="TaskHubGrpcServerMode.ApiServerAndDispatcher"/> mode the sidecar starts the backend and fetches
/// orchestration and activity work items from it once a worker has connected, and hands them to that worker (one worker
/// per sidecar). In <see cref="TaskHubGrpcServerMode.ApiServerOnly"/> mode it serves only the client calls (schedule,
/// query, wait) and never takes work, so a process that only schedules and waits takes no part in running the hub.
/// </remarks>
public sealed class Sidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Sidecar(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address the SDK's gRPC channel connects to, <c>http://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Starts a sidecar over <paramref name="service"/>.</summary>
    /// <param name="service">The backend, as both the service (work items) and its client (management calls).</param>
    /// <param name="mode">Whether the sidecar also dispatches work to a connected worker.</param>
    /// <param name="loggerFactory">Where the sidecar logs.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<Sidecar> StartAsync<TService>(
        TService service, TaskHubGrpcServerMode mode, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
        where TService : IOrchestrationService, IOrchestrationServiceClient
    {
        // A slim builder reads no appsettings file and no command line, only the process's environment.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.Configure<TaskHubGrpcServerOptions>(options => options.Mode = mode);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("The sidecar's web host reported no address.");
        return new Sidecar(app, address);
    }

    /// <summary>Stops the web host; in dispatcher mode that stops taking work and stops the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(limit.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
