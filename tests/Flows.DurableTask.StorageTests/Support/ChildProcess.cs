using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>
/// A process the tests start (npm, Azurite, a worker): its standard output and error are kept for diagnostics, its
/// standard input is held open (a worker and Azurite exit when it closes, so neither outlives a test run that could not
/// clean up), and disposing it kills it and everything it started.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _lock = new();
    private readonly string _description;
    private readonly Action<string>? _onLine;

    private ChildProcess(Process process, string description, Action<string>? onLine)
    {
        _process = process;
        _description = description;
        _onLine = onLine;
    }

    /// <summary>The process id (still known after the process has ended or been disposed).</summary>
    public int Id { get; private set; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                // Disposed.
                return true;
            }
        }
    }

    /// <summary>Everything it wrote to standard output and error so far, in arrival order.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, each passed as one argument.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="onLine">Called with each line of output (from a thread-pool thread).</param>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, Action<string>? onLine = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, $"{fileName} {string.Join(' ', startInfo.ArgumentList)}", onLine);
        process.OutputDataReceived += (_, e) => child.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => child.Receive(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{fileName}': is it installed and on the PATH?", exception);
        }

        child.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not end within <paramref name="timeout"/>; it is killed.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"'{_description}' did not end within {timeout}. Output:\n{Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process and every process it started, at once (SIGKILL), and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
    }

    /// <summary>The last lines of its output, for a failure message.</summary>
    public string Tail(int characters = 4000)
    {
        var output = Output;
        return output.Length <= characters ? output : "…" + output[^characters..];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            // Diagnostics only: keep the first megabyte.
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }

        _onLine?.Invoke(line);
    }
}
