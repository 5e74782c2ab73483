namespace Flows;

/// <summary>
/// Marks a <see langword="partial"/> class as a workflow. The Flows source generator writes its
/// <c>RunAsync</c> methods, a <c>MermaidDiagram</c> constant and the step hooks into the class.
/// </summary>
/// <remarks>
/// The class and every type containing it must be <see langword="partial"/>. Its methods marked
/// <see cref="StepAttribute"/>, <see cref="ParallelAttribute"/> or <see cref="ParallelForEachAttribute"/>
/// are the steps; everything else is ordinary code the steps may call.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WorkflowAttribute : Attribute
{
    /// <summary>
    /// How steps are ordered. <see cref="Scheduling.Sequential"/> (the default) runs stages in
    /// declaration order; <see cref="Scheduling.Dataflow"/> starts each step as soon as what it
    /// consumes is available.
    /// </summary>
    public Scheduling Scheduling { get; set; } = Scheduling.Sequential;

    /// <summary>
    /// The longest the whole run may take, in milliseconds. <c>0</c> (the default) means no limit.
    /// </summary>
    /// <remarks>
    /// On expiry every running step's token is cancelled and no step starts afterwards; once the started steps have
    /// stopped (none is left running), the run fails with a <see cref="TimeoutException"/> ("Workflow 'X' timed out
    /// after n ms."), even if they ignored their token and returned values after the limit. Lateness is read from the
    /// clock, not from whether the timer has fired yet. When a step's own <see cref="TimeoutAttribute"/> has expired
    /// too, the run's failure is still this <see cref="TimeoutException"/>, with the step's
    /// <see cref="StepTimeoutException"/> among its inner exceptions. A cancellation by the caller ends the run with
    /// <see cref="OperationCanceledException"/> instead.
    /// </remarks>
    public int TimeoutMilliseconds { get; set; }

    /// <summary>
    /// Also generate a Durable Task orchestration of the workflow: a nested <c>Durable</c> class with the orchestrator,
    /// one activity per step, <c>Register</c>, <c>ScheduleAsync</c>, <c>WaitForResultAsync</c> and <c>RunAsync</c>. The
    /// project must reference the <c>Flows.DurableTask</c> package (FLOW016). The in-process <c>RunAsync</c> is generated
    /// as always.
    /// </summary>
    /// <remarks>
    /// Each step becomes an activity that any worker on the task hub may run; the backend records progress, so a run
    /// whose worker crashed continues on another worker without redoing completed steps or items. A step may run again
    /// after a crash (at-least-once): make its side effects idempotent. Step inputs and outputs cross the wire through
    /// the backend's data converter and must be serializable (FLOW015). See docs/durable.md.
    /// </remarks>
    public bool Durable { get; set; }
}
