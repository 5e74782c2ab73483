namespace Flows.Samples.Notifications;

/// <summary>An alert to deliver to the on-call engineer.</summary>
public sealed record Alert(string Service, string Message);

/// <summary>A delivery channel (mail, SMS, push, chat). Returns the provider's message id.</summary>
public interface INotificationChannel
{
    Task<string> SendAsync(Alert alert, CancellationToken cancellationToken);
}

/// <summary>A channel that answers after a delay, or fails with the given error. Delays honour the token.</summary>
public sealed class SimulatedChannel(string prefix, int latencyMilliseconds, string? failure = null) : INotificationChannel
{
    public async Task<string> SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        await Task.Delay(latencyMilliseconds, cancellationToken).ConfigureAwait(false);
        return failure is null
            ? $"{prefix}-{(uint)HashCode.Combine(alert.Service, prefix) % 100_000:00000}"
            : throw new InvalidOperationException(failure);
    }
}
