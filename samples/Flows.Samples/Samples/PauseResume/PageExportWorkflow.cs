using Flows.Samples.Shared;

namespace Flows.Samples.PauseResume;

/// <summary>
/// Renders the pages of a document to PDF, two at a time. Passed a <see cref="FlowControl"/>, a run can be
/// paused between items: the pages being rendered finish, and no new page starts until it is resumed.
/// </summary>
/// <remarks>
/// Generated: <c>RunAsync(int pageCount, CancellationToken)</c> and
/// <c>RunAsync(int pageCount, FlowControl control, CancellationToken)</c>.
/// </remarks>
[Workflow(Durable = true)]
public sealed partial class PageExportWorkflow
{
    public const int RenderMilliseconds = 150;

    private int _started;
    private readonly TaskCompletionSource _sixthPageStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When each page started and finished rendering.</summary>
    public StepTimeline Timeline { get; } = new();

    /// <summary>Completes when the sixth page has started, so the sample can pause in the middle of the loop.</summary>
    public Task SixthPageStarted => _sixthPageStarted.Task;

    [Step]
    public static IReadOnlyList<int> Pages(int pageCount) => Enumerable.Range(1, pageCount).ToArray();

    [ParallelForEach(nameof(Pages), MaxDegreeOfParallelism = 2)]
    public async Task<int> RenderAsync(int page, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _started) == 6)
        {
            _sixthPageStarted.TrySetResult();
        }

        await Task.Delay(RenderMilliseconds, cancellationToken).ConfigureAwait(false);
        return 40_000 + page * 1_700;   // the rendered page's size in bytes
    }

    [Step]
    public static long TotalBytes(IReadOnlyList<int> render) => render.Sum(size => (long)size);

    partial void OnStepStarting(in StepContext context) => Timeline.Started(context);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Timeline.Ended(context);
}
