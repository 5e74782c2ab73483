namespace Flows.Samples.Notifications;

/// <summary>The provider message ids of the channels that delivered, and the errors of those that did not.</summary>
public sealed record DeliveryReport(IReadOnlyList<ChannelDelivery> Channels)
{
    public int Delivered => Channels.Count(channel => channel.MessageId is not null);
}

/// <summary>One channel's delivery: the provider's message id, or why it failed.</summary>
public sealed record ChannelDelivery(string Channel, string? MessageId, string? Error)
{
    public static ChannelDelivery From(string channel, Outcome<string> result) =>
        result.TryGetValue(out var id) ? new(channel, id, null) : new(channel, null, result.Exception!.Message);
}

/// <summary>
/// Sends an alert on four channels at once. A channel that fails does not stop the others
/// (<see cref="FailurePolicy.ContinueOnError"/>), but the alert only counts as delivered when at least two
/// channels succeeded (<c>MinSuccessCount = 2</c>); with fewer the run fails with an AggregateException.
/// </summary>
/// <remarks>Generated: <c>RunAsync(Alert alert, CancellationToken)</c>.</remarks>
[Workflow(Durable = true)]
public sealed partial class NotifyWorkflow
{
    private readonly INotificationChannel _email;
    private readonly INotificationChannel _sms;
    private readonly INotificationChannel _push;
    private readonly INotificationChannel _chat;

    public NotifyWorkflow(INotificationChannel email, INotificationChannel sms, INotificationChannel push, INotificationChannel chat) =>
        (_email, _sms, _push, _chat) = (email, sms, push, chat);

    [Step, Parallel("send", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2, TimeoutMilliseconds = 1_000)]
    public Task<string> EmailAsync(Alert alert, CancellationToken cancellationToken) => _email.SendAsync(alert, cancellationToken);

    [Step, Parallel("send")]
    public Task<string> SmsAsync(Alert alert, CancellationToken cancellationToken) => _sms.SendAsync(alert, cancellationToken);

    [Step, Parallel("send")]
    public Task<string> PushAsync(Alert alert, CancellationToken cancellationToken) => _push.SendAsync(alert, cancellationToken);

    [Step, Parallel("send")]
    public Task<string> ChatAsync(Alert alert, CancellationToken cancellationToken) => _chat.SendAsync(alert, cancellationToken);

    // Each member's output arrives as an Outcome<string>: its message id or its exception.
    [Step]
    public static DeliveryReport Report(Outcome<string> email, Outcome<string> sms, Outcome<string> push, Outcome<string> chat) =>
        new([ChannelDelivery.From("email", email), ChannelDelivery.From("sms", sms), ChannelDelivery.From("push", push), ChannelDelivery.From("chat", chat)]);
}
