using Flows.Analyzers.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Flows.Analyzers.Tests.Concurrency;

/// <summary>
/// The locks <see cref="LockTracker"/> holds: what a <c>lock</c> statement, the lock APIs, a one-at-a-time
/// <c>SemaphoreSlim</c>, a <c>using</c> of a lock helper and <c>[MethodImpl(Synchronized)]</c> take and release. The calls
/// are fed here by hand, in the order a walk would meet them.
/// </summary>
public class LockTrackerTests
{
    private const string Source = """
        using System.Runtime.CompilerServices;

        public class Locks
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _mutex = new(1, 1);
            private readonly SemaphoreSlim _pool = new(3);
            private readonly ReaderWriterLockSlim _rw = new();
            private readonly Gate _helper = new();

            public void Statement()
            {
                lock (_gate) { }
                lock (typeof(Locks)) { }
                var local = new object();
                lock (local) { }
            }

            public void Monitors(bool flag)
            {
                var taken = false;
                Monitor.Enter(_gate);
                Monitor.Exit(_gate);
                Monitor.Enter(_gate, ref taken);
                var entered = Monitor.TryEnter(_gate);
                if (Monitor.TryEnter(_gate, 10)) { }
                if (!Monitor.TryEnter(_gate, 10)) { return; }
                if (flag) { }
            }

            public async Task Semaphores()
            {
                await _mutex.WaitAsync();
                _mutex.Release();
                _mutex.Wait();
                _mutex.Release();
                _mutex.Wait(100);
                await _pool.WaitAsync();
                _pool.Release();
            }

            public void ReaderWriter()
            {
                _rw.EnterReadLock();
                _rw.ExitReadLock();
                _rw.EnterWriteLock();
                _rw.ExitWriteLock();
            }

            public async Task Helper()
            {
                using (await _helper.EnterAsync())
                {
                }
            }

            [MethodImpl(MethodImplOptions.Synchronized)]
            public void Synchronized() { }

            [MethodImpl(MethodImplOptions.Synchronized)]
            public static void StaticSynchronized() { }
        }

        public class Gate
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            public async Task<IDisposable> EnterAsync()
            {
                await _semaphore.WaitAsync();
                return new Releaser(_semaphore);
            }

            private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
            {
                public void Dispose() => semaphore.Release();
            }
        }
        """;

    private static readonly WalkerFixture s_fixture = WalkerFixture.Compile(Source);

    [Theory]
    [InlineData(0, "This:_gate")]
    [InlineData(1, "Static:typeof(Locks)")]
    [InlineData(2, "(none)")]
    public void A_lock_statement_locks_its_object_when_it_has_a_path(int occurrence, string path)
    {
        var (locks, body) = Tracker("Statement");
        var statement = body.Descendants().OfType<ILockOperation>().ElementAt(occurrence);
        var held = locks.LockOf(statement);
        Assert.Equal(path, WalkerFixture.Show(held?.Path));
        Assert.True(held is null || held.Value.Exclusive);
    }

    [Fact]
    public void Monitor_Enter_and_Exit_take_and_release_the_lock()
    {
        var (locks, body) = Tracker("Monitors");
        Assert.True(locks.Track(Call(body, "Monitor.Enter(_gate)")));
        Assert.Equal(new[] { "This:_gate" }, Held(locks));
        Assert.True(locks.Track(Call(body, "Monitor.Exit(_gate)")));
        Assert.Empty(Held(locks));

        // The lockTaken overload, as a statement, counts as held.
        Assert.True(locks.Track(Call(body, "Monitor.Enter(_gate, ref taken)")));
        Assert.Equal(new[] { "This:_gate" }, Held(locks));
    }

    [Fact]
    public void A_TryEnter_whose_answer_is_ignored_takes_nothing_and_one_tested_takes_the_lock_under_its_answer()
    {
        var (locks, body) = Tracker("Monitors");
        Assert.True(locks.Track(Call(body, "Monitor.TryEnter(_gate)")));
        Assert.Empty(Held(locks));

        var conditions = body.Descendants().OfType<IConditionalOperation>().Select(c => c.Condition).ToArray();
        var taken = locks.TryLockOf(conditions[0], out var negated);
        Assert.Equal("This:_gate", WalkerFixture.Show(taken?.Path));
        Assert.False(negated);

        taken = locks.TryLockOf(conditions[1], out negated);
        Assert.Equal("This:_gate", WalkerFixture.Show(taken?.Path));
        Assert.True(negated);

        Assert.Null(locks.TryLockOf(conditions[2], out _));
    }

    [Fact]
    public void A_SemaphoreSlim_of_one_is_a_lock_between_an_untimed_Wait_and_Release()
    {
        var (locks, body) = Tracker("Semaphores");
        Assert.True(locks.Track(Call(body, "_mutex.WaitAsync()")));
        Assert.Equal(new[] { "This:_mutex" }, Held(locks));
        Assert.True(locks.Track(Call(body, "_mutex.Release()")));
        Assert.Empty(Held(locks));

        Assert.True(locks.Track(Call(body, "_mutex.Wait()")));
        Assert.Equal(new[] { "This:_mutex" }, Held(locks));
        Assert.True(locks.Track(Call(body, "_mutex.Release()", occurrence: 1)));
        Assert.Empty(Held(locks));

        // A timed wait may return without the semaphore; a semaphore of three admits three at once.
        Assert.True(locks.Track(Call(body, "_mutex.Wait(100)")));
        Assert.True(locks.Track(Call(body, "_pool.WaitAsync()")));
        Assert.Empty(Held(locks));
    }

    [Fact]
    public void The_read_side_of_a_ReaderWriterLockSlim_does_not_exclude_other_readers()
    {
        var (locks, body) = Tracker("ReaderWriter");
        locks.Track(Call(body, "_rw.EnterReadLock()"));
        Assert.False(Assert.Single(locks.Held).Exclusive);
        locks.Track(Call(body, "_rw.ExitReadLock()"));
        locks.Track(Call(body, "_rw.EnterWriteLock()"));
        Assert.True(Assert.Single(locks.Held).Exclusive);
        locks.Track(Call(body, "_rw.ExitWriteLock()"));
        Assert.Empty(locks.Held);
    }

    [Fact]
    public void A_call_that_is_no_lock_API_is_not_tracked()
    {
        var (locks, body) = Tracker("Helper");
        Assert.False(locks.Track(Call(body, "_helper.EnterAsync()")));
        Assert.Empty(locks.Held);
    }

    [Fact]
    public void A_using_of_a_lock_helper_holds_the_lock_the_helper_returns_holding()
    {
        // The helper itself returns holding its semaphore: a lock helper.
        var helper = s_fixture.Cache.Get(s_fixture.Method("Gate.EnterAsync"), CancellationToken.None);
        Assert.Equal(new[] { "This:_semaphore" }, helper.HeldAtExit.Select(l => WalkerFixture.Show(l.Path)));

        // Seen from the caller, through the field the helper is in.
        var (locks, body) = Tracker("Helper");
        var resources = body.Descendants().OfType<IUsingOperation>().Single().Resources;
        Assert.Equal(new[] { "This:_helper._semaphore" }, locks.ScopesOf(resources).Select(l => WalkerFixture.Show(l.Path)));
    }

    [Theory]
    [InlineData("Synchronized", "This:this")]
    [InlineData("StaticSynchronized", "Static:typeof(Locks)")]
    [InlineData("Statement", null)]
    public void A_synchronized_method_runs_under_its_lock(string method, string? path)
    {
        var (locks, _) = Tracker(method);
        locks.EnterBodyOf(s_fixture.Method("Locks." + method));
        Assert.Equal(path is null ? Array.Empty<string>() : new[] { path }, Held(locks));
    }

    [Fact]
    public void Release_releases_the_innermost_hold_and_HeldSince_leaves_out_block_scoped_locks()
    {
        var (locks, _) = Tracker("Statement");
        var a = new LockRef(AccessPath.This, exclusive: true);
        var b = new LockRef(PathResolver.TypeRoot(s_fixture.Compilation.GetTypeByMetadataName("Locks")!), exclusive: true);
        locks.Acquire(a);
        var entered = locks.Count;
        locks.Acquire(b);
        locks.AcquireToEndOfBlock(a);
        Assert.Equal(3, locks.Held.Length);
        Assert.Equal(new[] { b }, locks.HeldSince(entered).ToArray());

        locks.Release(a.Path);
        Assert.Equal(new[] { a, b }, locks.Held.ToArray());
        locks.Release(a.Path);
        locks.Release(a.Path);
        Assert.Equal(new[] { b }, locks.Held.ToArray());
    }

    private static (LockTracker Locks, IOperation Body) Tracker(string method)
    {
        var symbol = s_fixture.Method("Locks." + method);
        return (new LockTracker(s_fixture.Symbols, s_fixture.Paths(symbol), s_fixture.Callees()), s_fixture.Body(symbol));
    }

    private static IInvocationOperation Call(IOperation body, string text, int occurrence = 0) =>
        WalkerFixture.Find<IInvocationOperation>(body, text, occurrence);

    private static string[] Held(LockTracker locks) => locks.Held.Select(l => WalkerFixture.Show(l.Path)).ToArray();
}
