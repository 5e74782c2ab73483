using System.Net;
using System.Net.Sockets;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>
/// Azurite, the Azure Storage emulator (npm package <c>azurite</c>), started on free loopback ports with its data in a
/// folder of the caller's; installed with npm into a cache folder under the system's temporary folder the first time.
/// Disposing it kills it.
/// </summary>
public sealed class Azurite : IDisposable
{
    /// <summary>The Azurite version the tests use.</summary>
    public const string Version = "3.37.0";

    // Azurite's fixed development account: a well-known, public name and key that every emulator accepts.
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim s_install = new(1, 1);

    private readonly ChildProcess _process;

    private Azurite(ChildProcess process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of the emulator's account.</summary>
    public string ConnectionString { get; }

    /// <summary>What Azurite wrote, for a failure message.</summary>
    public string Tail() => _process.Tail();

    /// <summary>Installs Azurite if needed and starts it with its data in <paramref name="dataFolder"/>.</summary>
    /// <exception cref="InvalidOperationException">npm or node is missing, or Azurite did not start.</exception>
    public static async Task<Azurite> StartAsync(string dataFolder)
    {
        var script = await InstallAsync().ConfigureAwait(false);
        Directory.CreateDirectory(dataFolder);

        // Azurite exits when the test run's end closes its standard input, even if the run could not clean up.
        var watchdog = Path.Combine(dataFolder, "exit-with-parent.js");
        await File.WriteAllTextAsync(
            watchdog, "process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume();\n")
            .ConfigureAwait(false);

        // The ports are free when chosen but may be taken before Azurite binds them: then it exits and another set is tried.
        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var ports = FreePorts(3);
            var (blob, queue, table) = (ports[0], ports[1], ports[2]);
            var process = ChildProcess.Start(
                "node",
                [
                    "--require", watchdog, script,
                    "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                    "--location", dataFolder,
                    "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}",
                ],
                dataFolder);
            try
            {
                await WaitForPortsAsync(process, TimeSpan.FromSeconds(60), blob, queue, table).ConfigureAwait(false);
                return new Azurite(process, ConnectionStringFor(blob, queue, table));
            }
            catch (Exception exception) when (attempt < 3)
            {
                last = exception;
                process.Dispose();
            }
            catch
            {
                process.Dispose();
                throw;
            }
        }

        throw new InvalidOperationException("Azurite did not start.", last);
    }

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private static string ConnectionStringFor(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};" +
        $"TableEndpoint=http://127.0.0.1:{table}/{Account};";

    // Returns the path of azurite.js, installing the package with npm when the cache does not hold it. The install goes to a
    // folder of its own and is then renamed into place, so a run that was stopped half-way leaves no broken cache behind.
    private static async Task<string> InstallAsync()
    {
        var cache = Path.Combine(Path.GetTempPath(), $"flows-azurite-{Version}");
        var script = Path.Combine(cache, "node_modules", "azurite", "dist", "src", "azurite.js");
        await s_install.WaitAsync().ConfigureAwait(false);
        try
        {
            if (File.Exists(script))
            {
                return script;
            }

            var staging = $"{cache}.{Guid.NewGuid():N}.partial";
            Directory.CreateDirectory(staging);
            try
            {
                using var npm = ChildProcess.Start(
                    OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
                    ["install", "--prefix", staging, $"azurite@{Version}", "--no-audit", "--no-fund", "--loglevel", "error"],
                    staging);
                var exitCode = await npm.WaitForExitAsync(TimeSpan.FromMinutes(4)).ConfigureAwait(false);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"npm install azurite@{Version} failed with exit code {exitCode}:\n{npm.Tail()}");
                }

                try
                {
                    Directory.Move(staging, cache);
                }
                catch (IOException) when (File.Exists(script))
                {
                    // Another test run installed it meanwhile.
                }
            }
            finally
            {
                TryDelete(staging);
            }

            return File.Exists(script) ? script : throw new InvalidOperationException($"npm installed Azurite, but '{script}' is missing.");
        }
        finally
        {
            s_install.Release();
        }
    }

    private static async Task WaitForPortsAsync(ChildProcess process, TimeSpan timeout, params int[] ports)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in ports)
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited before listening on port {port}:\n{process.Tail()}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Azurite did not listen on port {port} within {timeout}:\n{process.Tail()}");
                }

                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                }
            }
        }
    }

    // Ports the system gives out as free, all held at once so that they differ.
    private static int[] FreePorts(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }

            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener?.Stop();
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
