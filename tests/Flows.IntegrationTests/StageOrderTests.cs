namespace Flows.IntegrationTests;

public sealed class StageOrderTests
{
    [Fact]
    public async Task Synchronous_steps_run_one_after_another_in_declaration_order()
    {
        var log = new EventLog();

        await new SynchronousSteps(log).RunAsync().OrTimeout();

        Assert.Equal(new[] { "Alpha", "Bravo", "Charlie", "Delta" }, log.Events);
    }

    [Fact]
    public async Task Each_stage_starts_only_after_the_previous_one_has_completed()
    {
        var log = new EventLog();

        await new ThreeStages(log).RunAsync().OrTimeout();

        // Stage 1 → group { Fast, Slow } → stage 3.
        log.AssertBefore("end Load", "start Fast");
        log.AssertBefore("end Load", "start Slow");
        log.AssertBefore("end Fast", "start Save");
        log.AssertBefore("end Slow", "start Save");
        Assert.Equal("end Save", log.Events[^1]);
        Assert.Equal(8, log.Events.Count);
    }

    [Fact]
    public async Task A_group_is_one_stage_placed_at_its_first_member()
    {
        var log = new EventLog();

        await new GroupAtFirstMember(log).RunAsync().OrTimeout();

        // Declared: First, GroupA, Middle, GroupB, Last. Runs: First; { GroupA, GroupB }; Middle; Last.
        log.AssertBefore("end First", "start GroupA");
        log.AssertBefore("end First", "start GroupB");
        log.AssertBefore("end GroupA", "start Middle");
        log.AssertBefore("end GroupB", "start Middle");
        log.AssertBefore("end Middle", "start Last");
        Assert.Equal("end Last", log.Events[^1]);
    }

    [Fact]
    public async Task Two_groups_run_as_two_stages_in_the_order_of_their_first_members()
    {
        var log = new EventLog();

        await new TwoGroups(log).RunAsync().OrTimeout();

        foreach (var first in new[] { "end One1", "end One2" })
        {
            foreach (var second in new[] { "start Two1", "start Two2" })
            {
                log.AssertBefore(first, second);
            }
        }
    }

    [Fact]
    public async Task Outputs_of_a_group_reach_the_steps_of_later_stages()
    {
        var sum = await new GroupFeedsLaterStage().RunAsync(10).OrTimeout();

        Assert.Equal(10 + (10 + 1) + (10 * 2), sum);
    }

    [Fact]
    public async Task A_workflow_runs_again_from_the_start_on_every_call()
    {
        var log = new EventLog();
        var workflow = new SynchronousSteps(log);

        await workflow.RunAsync().OrTimeout();
        await workflow.RunAsync().OrTimeout();

        Assert.Equal(new[] { "Alpha", "Bravo", "Charlie", "Delta", "Alpha", "Bravo", "Charlie", "Delta" }, log.Events);
    }
}

[Workflow]
public partial class SynchronousSteps(EventLog log)
{
    [Step]
    public void Alpha() => log.Add("Alpha");

    [Step]
    public void Bravo() => log.Add("Bravo");

    [Step]
    public void Charlie() => log.Add("Charlie");

    [Step]
    public void Delta() => log.Add("Delta");
}

[Workflow]
public partial class ThreeStages(EventLog log)
{
    [Step]
    public async Task Load()
    {
        log.Start(nameof(Load));
        await Task.Delay(30);
        log.End(nameof(Load));
    }

    [Step, Parallel("work")]
    public async Task Fast()
    {
        log.Start(nameof(Fast));
        await Task.Delay(10);
        log.End(nameof(Fast));
    }

    [Step, Parallel("work")]
    public async Task Slow()
    {
        log.Start(nameof(Slow));
        await Task.Delay(80);
        log.End(nameof(Slow));
    }

    [Step]
    public async Task Save()
    {
        log.Start(nameof(Save));
        await Task.Yield();
        log.End(nameof(Save));
    }
}

[Workflow]
public partial class GroupAtFirstMember(EventLog log)
{
    [Step]
    public void First()
    {
        log.Start(nameof(First));
        log.End(nameof(First));
    }

    [Step, Parallel("g")]
    public async Task GroupA()
    {
        log.Start(nameof(GroupA));
        await Task.Delay(20);
        log.End(nameof(GroupA));
    }

    [Step]
    public void Middle()
    {
        log.Start(nameof(Middle));
        log.End(nameof(Middle));
    }

    [Step, Parallel("g")]
    public async Task GroupB()
    {
        log.Start(nameof(GroupB));
        await Task.Delay(60);
        log.End(nameof(GroupB));
    }

    [Step]
    public void Last()
    {
        log.Start(nameof(Last));
        log.End(nameof(Last));
    }
}

[Workflow]
public partial class TwoGroups(EventLog log)
{
    [Parallel("one")]
    public async Task One1()
    {
        log.Start(nameof(One1));
        await Task.Delay(40);
        log.End(nameof(One1));
    }

    [Parallel("one")]
    public async Task One2()
    {
        log.Start(nameof(One2));
        await Task.Delay(10);
        log.End(nameof(One2));
    }

    [Parallel("two")]
    public async Task Two1()
    {
        log.Start(nameof(Two1));
        await Task.Delay(10);
        log.End(nameof(Two1));
    }

    [Parallel("two")]
    public async Task Two2()
    {
        log.Start(nameof(Two2));
        await Task.Delay(10);
        log.End(nameof(Two2));
    }
}

[Workflow]
public partial class GroupFeedsLaterStage
{
    [Step, Parallel("g")]
    public async Task<int> Increment(int start)
    {
        await Task.Delay(10);
        return start + 1;
    }

    [Step, Parallel("g")]
    public int Twice(int start) => start * 2;

    [Step]
    public int Sum(int start, int increment, int twice) => start + increment + twice;
}
