// fuzz-input family: mutation
// fuzz-input seed: 1276704444
// fuzz-input settings: enable latest
// fuzz-input expect-accepted: false
// fuzz-input description: Samples.Notifications: NotifyWorkflow.cs: type 'Outcome<string>' := dynamic; [Step] ContinueOnError = "\0"
// fuzz-input description: (minimized)
// fuzz-input finding: I6: code fix left code that does not compile: CS0029 (UseOutcomeCodeFix on FLOW011)
// fuzz-input finding: UseOutcomeCodeFix 'Take 'sms' as an Outcome' on FLOW011 NotifyWorkflow.cs[2148..2151) 'sms': Parameter 'sms' of step 'Report' takes the plain value of 'SmsAsync', which may fail without failing the run; declare it as 'Flows.Outcome<string>'; RunAsync is not generated while this error stands:
// fuzz-input finding:   does not compile: CS0029 NotifyWorkflow.cs[2252..2261) 'sms.Value': Cannot implicitly convert type 'string' to 'Flows.Outcome<string>'
// fuzz-input finding: --- NotifyWorkflow.cs after the fix:
// fuzz-input finding: namespace Flows.Samples.Notifications;
// fuzz-input finding: 
// fuzz-input finding: /// <summary>The provider message ids of the channels that delivered, and the errors of those that did not.</summary>
// fuzz-input finding: public sealed record DeliveryReport(IReadOnlyList<(string Channel, Outcome<string> Result)> Channels)
// fuzz-input finding: {
// fuzz-input finding:     public int Delivered => Channels.Count(channel => channel.Result.IsSuccess);
// fuzz-input finding: }
// fuzz-input finding: 
// fuzz-input finding: /// <summary>
// fuzz-input finding: /// Sends an alert on four channels at once. A channel that fails does not stop the others
// fuzz-input finding: /// (<see cref="FailurePolicy.ContinueOnError"/>), but the alert only counts as delivered when at least two
// fuzz-input finding: /// channels succeeded (<c>MinSuccessCount = 2</c>); with fewer the run fails with an AggregateException.
// fuzz-input finding: /// </summary>
// fuzz-input finding: /// <remarks>Generated: <c>RunAsync(Alert alert, CancellationToken)</c>.</remarks>
// fuzz-input finding: [Workflow]
// fuzz-input finding: public sealed partial class NotifyWorkflow
// fuzz-input finding: {
// fuzz-input finding:     private readonly INotificationChannel _email;
// fuzz-input finding:     private readonly INotificationChannel _sms;
// fuzz-input finding:     private readonly INotificationChannel _push;
// fuzz-input finding:     private readonly INotificationChannel _chat;
// fuzz-input finding: 
// fuzz-input finding:     public NotifyWorkflow(INotificationChannel email, INotificationChannel sms, INotificationChannel push, INotificationChannel chat) =>
// fuzz-input finding:         (_email, _sms, _push, _chat) = (email, sms, push, chat);
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("send", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2, TimeoutMilliseconds = 1_000)]
// fuzz-input finding:     public Task<string> EmailAsync(Alert alert, CancellationToken cancellationToken) => _email.SendAsync(alert, cancellationToken);
// fuzz-input finding: 
// fuzz-input finding:     [Step(ContinueOnError = "\0"), Parallel("send")]
// fuzz-input finding:     public Task<string> SmsAsync(Alert alert, CancellationToken cancellationToken) => _sms.SendAsync(alert, cancellationToken);
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("send")]
// fuzz-input finding:     public Task<string> PushAsync(Alert alert, CancellationToken cancellationToken) => _push.SendAsync(alert, cancellationToken);
// fuzz-input finding: 
// fuzz-input finding:     [Step, Parallel("send")]
// fuzz-input finding:     public Task<string> ChatAsync(Alert alert, CancellationToken cancellationToken) => _chat.SendAsync(alert, cancellationToken);
// ===== file: NotifyWorkflow.cs =====
namespace Flows.Samples.Notifications;

/// <summary>The provider message ids of the channels that delivered, and the errors of those that did not.</summary>
public sealed record DeliveryReport(IReadOnlyList<(string Channel, Outcome<string> Result)> Channels)
{
}

/// <summary>
/// Sends an alert on four channels at once. A channel that fails does not stop the others
/// (<see cref="FailurePolicy.ContinueOnError"/>), but the alert only counts as delivered when at least two
/// channels succeeded (<c>MinSuccessCount = 2</c>); with fewer the run fails with an AggregateException.
/// </summary>
/// <remarks>Generated: <c>RunAsync(Alert alert, CancellationToken)</c>.</remarks>
[Workflow]
public sealed partial class NotifyWorkflow
{
    private readonly INotificationChannel _sms;
    private readonly INotificationChannel _chat;

    [Step, Parallel("send", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2, TimeoutMilliseconds = 1_000)]
    public Task<string> EmailAsync(Alert alert, CancellationToken cancellationToken) => _email.SendAsync(alert, cancellationToken);

    [Step(ContinueOnError = "\0"), Parallel("send")]
    public Task<string> SmsAsync(Alert alert, CancellationToken cancellationToken) => _sms.SendAsync(alert, cancellationToken);

    // Each member's output arrives as an Outcome<string>: its message id or its exception.
    [Step]
    public static DeliveryReport Report(Outcome<string> email, dynamic sms, Outcome<string> push, Outcome<string> chat) =>
        new([("email", email), ("sms", sms), ("push", push), ("chat", chat)]);
}
// ===== file: ImplicitUsings.cs =====
global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
global using System.Net.Http;
global using System.Threading;
global using System.Threading.Tasks;
