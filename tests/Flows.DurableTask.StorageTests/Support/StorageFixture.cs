namespace Flows.DurableTask.StorageTests.Support;

/// <summary>
/// One Azurite for the storage tests, with its data and every run's files in a temporary folder that is deleted at the
/// end. Each test gets its own task hub on it (<see cref="StartRunAsync"/>).
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    /// <summary>The folder of this test run's files.</summary>
    public string Workspace { get; } = Path.Combine(Path.GetTempPath(), "flows-storage-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The connection string of the emulator's account.</summary>
    public string ConnectionString => Emulator.ConnectionString;

    /// <summary>The emulator.</summary>
    public Azurite Emulator => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Workspace);
        _azurite = await Azurite.StartAsync(Path.Combine(Workspace, "azurite"));
    }

    public Task DisposeAsync()
    {
        _azurite?.Dispose();
        try
        {
            Directory.Delete(Workspace, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the system cleans its temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>A new task hub named after <paramref name="name"/> (letters only), with a client connected to it.</summary>
    public async Task<StorageRun> StartRunAsync(string name, ITestOutputHelper output)
    {
        var taskHub = $"{name}{Guid.NewGuid():N}"[..24];
        var folder = Path.Combine(Workspace, taskHub);
        Directory.CreateDirectory(folder);
        var client = await StorageClient.ConnectAsync(ConnectionString, taskHub);
        return new StorageRun(this, taskHub, folder, client, output);
    }
}

/// <summary>The storage tests: they share one Azurite and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "Azure Storage backend";
}
