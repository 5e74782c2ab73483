namespace Flows.Runtime.Tests;

/// <summary>
/// The randomized fault-injection bar of DESIGN.md for the failure policies, retries and timeouts: seeded runs of a
/// retried and timed step (<see cref="Resilience"/>), of a parallel group under each <see cref="FailurePolicy"/>
/// (<see cref="ParallelBlock"/>, driven the way generated code drives it) and of a foreach whose items are retried and
/// timed, fail-fast or continue-on-error with a minimum success rate. Bodies succeed, throw synchronously before their
/// first await, throw later, throw their own <see cref="OperationCanceledException"/> or an
/// <see cref="AggregateException"/>, ignore their token and end after their limit with a value or an exception, or wait
/// for their token; the caller may cancel before the run or from inside a body as it fails. Every run must end with
/// exactly the result or exception the semantics prescribe.
/// </summary>
/// <remarks>
/// <para>Late bodies end <see cref="LateBy"/> past their limit, so they are late on any machine. A body meant to be in
/// time records when it ended: if the machine stalled it to within <see cref="Margin"/> of its limit, the run is only
/// checked for what holds either way (a late body never counts as a success), and counted as stalled.</para>
/// <para>A failing run prints its seed; replay one with
/// <c>FLOWS_POLICY_SEED=1234 dotnet test tests/Flows.Runtime.Tests --filter FullyQualifiedName~PolicyFaultInjection</c>.</para>
/// </remarks>
[Collection(TimingCollection.Name)]
public sealed class PolicyFaultInjectionTests
{
    private const int Runs = 1500;
    private const int RunsAtOnce = 4;
    private const int Limit = 30;
    private const int LateBy = 50;
    private const int Margin = 10;

    public PolicyFaultInjectionTests() => Limits.EnsureThreadPoolThreads();

    private enum Act
    {
        Succeed,
        SucceedAfterYield,
        ThrowBeforeAwait,
        ThrowAfterAwait,
        ThrowOwnCancellation,
        ThrowAggregate,
        LateValue,
        LateThrow,
        WaitForToken,
    }

    private enum Shape
    {
        Step,
        Group,
        ForEach,
    }

    [Fact]
    public async Task Seeded_random_runs_under_every_policy_end_as_the_semantics_prescribe()
    {
        var seeds = Environment.GetEnvironmentVariable("FLOWS_POLICY_SEED") is { Length: > 0 } only
            ? new[] { int.Parse(only, System.Globalization.CultureInfo.InvariantCulture) }
            : Enumerable.Range(0, Runs).ToArray();
        var problems = new ConcurrentQueue<string>();
        var unobserved = new ConcurrentQueue<Exception>();
        var stalled = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(seeds, new ParallelOptions { MaxDegreeOfParallelism = RunsAtOnce }, async (seed, _) =>
            {
                try
                {
                    var run = new Run(seed);
                    await run.ExecuteAsync().WaitAsync(Limits.Hang);
                    if (run.Stalled)
                    {
                        Interlocked.Increment(ref stalled);
                    }

                    foreach (var problem in run.Problems)
                    {
                        problems.Enqueue($"seed {seed}: {problem}. Plan: {run}. {run.Note}");
                    }
                }
                catch (Exception exception)
                {
                    problems.Enqueue($"seed {seed}: the run hung or the harness failed: {exception}");
                }
            });

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            var all = problems.ToArray();
            Assert.True(all.Length == 0, $"{all.Length} problems in {seeds.Length} runs ({stopwatch.Elapsed.TotalSeconds:0.0} s, {stalled} stalled):\n" + string.Join("\n", all.Take(20)));
            Assert.True(unobserved.IsEmpty, "Unobserved task exceptions:\n" + string.Join("\n", unobserved.Take(5)));

            // Stalled runs are checked less; if most were, the bar was not really tested.
            Assert.True(stalled <= seeds.Length / 4, $"{stalled} of {seeds.Length} runs stalled past the margin; the machine is too busy for this test to mean much.");
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }
    }

    /// <summary>One seeded run: its plan, the bodies it runs, and the check of how it ended.</summary>
    private sealed class Run
    {
        private readonly int _seed;
        private readonly Shape _shape;
        private readonly bool _timed;
        private readonly FailurePolicy _policy;
        private readonly int _minSuccessCount;
        private readonly double _minSuccessRate;
        private readonly int _maxAttempts;
        private readonly int _delay;
        private readonly bool _retryOnlyItemFailures;
        private readonly bool _synchronous;
        private readonly int _degree;
        private readonly bool _cancelBefore;
        private readonly int _cancelIn = -1;

        // Acts[unit][attempt - 1]: a unit is the step, a group member or a foreach item.
        private readonly Act[][] _acts;
        private readonly ConcurrentDictionary<(int Unit, int Attempt), Exception> _thrown = new();
        private readonly CancellationTokenSource _caller = new();
        private int _stalled;
        private long _unitStart;

        public string Note { get; private set; } = "";

        public Run(int seed)
        {
            _seed = seed;
            var random = new Random(seed);
            _shape = (Shape)random.Next(3);
            _timed = random.Next(2) == 0;
            _policy = (FailurePolicy)random.Next(4);
            _maxAttempts = _shape == Shape.Group ? 1 : random.Next(1, 4);
            _delay = random.Next(3);
            _retryOnlyItemFailures = random.Next(4) == 0;
            _synchronous = random.Next(2) == 0;
            _degree = random.Next(5) == 0 ? -1 : random.Next(1, 5);
            var units = _shape switch
            {
                Shape.Step => 1,
                Shape.Group => random.Next(2, 5),
                _ => random.Next(0, _timed ? 13 : 25),
            };
            _minSuccessCount = _policy == FailurePolicy.ContinueOnError && random.Next(2) == 0 ? random.Next(1, units + 1) : 0;
            _minSuccessRate = _shape == Shape.ForEach && _policy == FailurePolicy.ContinueOnError && random.Next(2) == 0 ? random.Next(30, 101) / 100.0 : 0;

            // Mostly successes, so that retries and minimums are crossed both ways.
            var failureRate = random.Next(4) switch { 0 => 0.0, 1 => 0.1, 2 => 0.3, _ => 0.6 };
            _acts = new Act[units][];
            for (var unit = 0; unit < units; unit++)
            {
                _acts[unit] = new Act[_maxAttempts];
                for (var attempt = 0; attempt < _maxAttempts; attempt++)
                {
                    _acts[unit][attempt] = random.NextDouble() >= failureRate
                        ? (random.Next(2) == 0 ? Act.Succeed : Act.SucceedAfterYield)
                        : (Act)random.Next((int)Act.ThrowBeforeAwait, _timed ? (int)Act.WaitForToken + 1 : (int)Act.ThrowAggregate + 1);
                }
            }

            switch (random.Next(16))
            {
                case 0:
                    _cancelBefore = true;
                    break;
                case 1 or 2 when units > 0:
                    // A unit cancels the caller's source as it fails: a failure being handled when the cancellation comes.
                    _cancelIn = random.Next(units);
                    _acts[_cancelIn] = Enumerable.Repeat(Act.ThrowAfterAwait, _maxAttempts).ToArray();
                    break;
            }
        }

        public List<string> Problems { get; } = new();

        public bool Stalled => Volatile.Read(ref _stalled) != 0;

        public override string ToString() =>
            $"{_shape}, {(_shape == Shape.Step ? "" : _shape == Shape.Group ? _policy + " " : (_policy == FailurePolicy.ContinueOnError ? "continue-on-error " : "fail-fast ") + $"degree {_degree} ")}" +
            $"{(_synchronous ? "synchronous" : "asynchronous")}, timeout {(_timed ? Limit : 0)}, attempts {_maxAttempts} (delay {_delay}, {(_retryOnlyItemFailures ? "only item failures" : "all but cancellations")}), " +
            $"min count {_minSuccessCount}, min rate {_minSuccessRate}, cancel {(_cancelBefore ? "before" : _cancelIn >= 0 ? "in " + _cancelIn : "never")}, " +
            $"acts [{string.Join("; ", _acts.Select((acts, unit) => unit + ": " + string.Join(",", acts)))}]";

        private static int ValueOf(int unit, int attempt) => unit * 10 + attempt;

        private StepPolicy Policy() => new(
            "Faults",
            "Unit",
            maxAttempts: _maxAttempts,
            delayMilliseconds: _delay,
            retryOn: _retryOnlyItemFailures ? static exception => exception is ItemFailedException : null,
            timeoutMilliseconds: _timed ? Limit : 0);

        public async Task ExecuteAsync()
        {
            if (_cancelBefore)
            {
                _caller.Cancel();
            }

            Exception? failure = null;
            object? result = null;
            try
            {
                result = _shape switch
                {
                    Shape.Step => await Resilience.RunAsync<int, Call>(new Call(this, 0), Policy(), _caller.Token),
                    Shape.Group => await RunGroupAsync(),
                    _ => await RunForEachAsync(),
                };
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            Check(result, failure);
            _caller.Dispose();
        }

        private async Task<object?> RunGroupAsync()
        {
            // As generated code does: the members' token, the members started one after another (a synchronous throw
            // becomes a faulted task), then the block.
            _caller.Token.ThrowIfCancellationRequested();
            _unitStart = Stopwatch.GetTimestamp();
            var timed = _timed ? TimedCancellation.Create(_caller.Token, Limit) : default;
            var untimed = _timed ? default : LinkedCancellation.Create(_caller.Token);
            var source = _timed ? timed.Source : untimed.Source;
            try
            {
                var members = new Task<int>[_acts.Length];
                for (var i = 0; i < members.Length; i++)
                {
                    try
                    {
                        members[i] = Perform(i, 1, source.Token).AsTask();
                    }
                    catch (Exception exception)
                    {
                        members[i] = Task.FromException<int>(exception);
                    }
                }

                var block = new ParallelBlock(_policy, members.Length, source, _caller.Token, "g", _timed ? Limit : 0, _minSuccessCount, _timed ? timed.Deadline : 0);
                foreach (var member in members)
                {
                    block.Add(member);
                }

                // Starting the members (and deciding, when one completed at once) must itself have been in time.
                InTime(_unitStart, 0);
                Note = $"timer cancelled: {source.IsCancellationRequested} at {Stopwatch.GetElapsedTime(_unitStart).TotalMilliseconds:0.0} ms";
                try
                {
                    await block.WhenAll();
                }
                finally
                {
                    Note += $", block done at {Stopwatch.GetElapsedTime(_unitStart).TotalMilliseconds:0.0} ms, timer cancelled: {source.IsCancellationRequested}";
                }

                return _policy switch
                {
                    FailurePolicy.FirstSuccess => members[block.Winner].Result,
                    FailurePolicy.ContinueOnError => members.Select(member => block.OutcomeOf(member)).ToArray(),
                    _ => members.Select(member => member.Result).ToArray(),
                };
            }
            finally
            {
                timed.Dispose();
                untimed.Dispose();
            }
        }

        private async Task<object?> RunForEachAsync()
        {
            var continueOnError = _policy == FailurePolicy.ContinueOnError;
            var options = Engine.Options(_degree, _synchronous, continueOnError, _minSuccessRate);
            var policy = Policy();
            var items = Enumerable.Range(0, _acts.Length).ToArray();
            ValueTask<int> Body(int item, StepContext context, CancellationToken token) =>
                Resilience.RunAsync<int, Call>(new Call(this, item), policy, token, in context);

            return continueOnError
                ? await Engine.RunWithOutcomes<int>(SourceKind.Array, items, Body, options, null, _caller.Token)
                : await Engine.Run<int>(SourceKind.Array, items, Body, options, null, _caller.Token);
        }

        private readonly struct Call(Run run, int unit) : IStepCall<int>
        {
            public ValueTask<int> InvokeAsync(in StepContext context, CancellationToken cancellationToken) =>
                run.Perform(unit, context.Attempt, cancellationToken);
        }

        // One attempt of one unit. Synchronous throws leave before any await, as a step that validates its input does.
        private ValueTask<int> Perform(int unit, int attempt, CancellationToken token)
        {
            var act = _acts[unit][attempt - 1];
            var value = ValueOf(unit, attempt);
            var started = Stopwatch.GetTimestamp();
            if (unit == _cancelIn)
            {
                _caller.Cancel();
            }

            switch (act)
            {
                case Act.Succeed:
                    return new ValueTask<int>(InTime(started, value));
                case Act.ThrowBeforeAwait:
                    InTime(started, 0);
                    throw Record(unit, attempt, new ItemFailedException(value));
                case Act.LateValue or Act.LateThrow or Act.WaitForToken when _synchronous:
                    return new ValueTask<int>(Block(unit, attempt, act, value, token));
                default:
                    return PerformAsync(unit, attempt, act, value, started, token);
            }
        }

        private int Block(int unit, int attempt, Act act, int value, CancellationToken token)
        {
            if (act == Act.WaitForToken)
            {
                token.WaitHandle.WaitOne();
                token.ThrowIfCancellationRequested();
            }

            Thread.Sleep(Limit + LateBy);
            return act == Act.LateThrow ? throw Record(unit, attempt, new ItemFailedException(value)) : value;
        }

        private async ValueTask<int> PerformAsync(int unit, int attempt, Act act, int value, long started, CancellationToken token)
        {
            switch (act)
            {
                case Act.SucceedAfterYield:
                    await Task.Yield();
                    return InTime(started, value);
                case Act.ThrowAfterAwait:
                    await Task.Yield();
                    InTime(started, 0);
                    throw Record(unit, attempt, new ItemFailedException(value));
                case Act.ThrowOwnCancellation:
                    await Task.Yield();
                    InTime(started, 0);
                    throw Record(unit, attempt, new OperationCanceledException("the step's own cancellation"));
                case Act.ThrowAggregate:
                    await Task.Yield();
                    InTime(started, 0);
                    throw Record(unit, attempt, new AggregateException(new ItemFailedException(value), new InvalidOperationException("second")));
                case Act.WaitForToken:
                    await Task.Delay(Timeout.Infinite, token);
                    return value;
                default:
                    // Ignores its token: ends well after its limit.
                    await Task.Delay(Limit + LateBy, CancellationToken.None);
                    return act == Act.LateThrow ? throw Record(unit, attempt, new ItemFailedException(value)) : value;
            }
        }

        private Exception Record(int unit, int attempt, Exception exception)
        {
            _thrown[(unit, attempt)] = exception;
            return exception;
        }

        // A body meant to be in time that the machine held up to near its limit makes the run ambiguous.
        private T InTime<T>(long started, T value)
        {
            if (_timed && Stopwatch.GetElapsedTime(started).TotalMilliseconds >= Limit - Margin)
            {
                Volatile.Write(ref _stalled, 1);
            }

            return value;
        }

        private static bool IsLate(Act act) => act is Act.LateValue or Act.LateThrow or Act.WaitForToken;

        private static bool Succeeds(Act act) => act is Act.Succeed or Act.SucceedAfterYield;

        private void Problem(string text) => Problems.Add(text);

        // What one unit ends with when nothing else interferes: its value, or its last attempt's exception.
        private (bool Success, int Value, Func<Exception, bool> Matches, string Expected) Expect(int unit)
        {
            for (var attempt = 1; ; attempt++)
            {
                var act = _acts[unit][attempt - 1];
                if (Succeeds(act))
                {
                    return (true, ValueOf(unit, attempt), _ => false, $"value {ValueOf(unit, attempt)}");
                }

                var timedOut = _timed && IsLate(act);
                var retried = attempt < _maxAttempts && (_retryOnlyItemFailures
                    ? act is Act.ThrowBeforeAwait or Act.ThrowAfterAwait && !timedOut
                    : act != Act.ThrowOwnCancellation);
                if (retried)
                {
                    continue;
                }

                var last = attempt;
                return timedOut
                    ? (false, 0, e => e is StepTimeoutException { StepName: "Unit" }, "StepTimeoutException")
                    : (false, 0, e => ReferenceEquals(e, _thrown.GetValueOrDefault((unit, last))), $"the exception attempt {last} threw ({act})");
            }
        }

        private void Check(object? result, Exception? failure)
        {
            if (_caller.IsCancellationRequested)
            {
                // The caller's cancellation came before the run ended: before it started, or inside a unit just before
                // it failed (a fail-fast loop may have stopped before that unit started; then nothing was cancelled).
                if (failure is not OperationCanceledException)
                {
                    Problem($"the caller cancelled during the run, which ended with {Describe(result, failure)}, not OperationCanceledException");
                }

                return;
            }

            if (Stalled)
            {
                CheckNoLateSuccess(result, failure);
                return;
            }

            switch (_shape)
            {
                case Shape.Step:
                    CheckUnit(0, result is int value ? value : null, failure);
                    break;
                case Shape.Group:
                    CheckGroup(result, failure);
                    break;
                default:
                    CheckForEach(result, failure);
                    break;
            }
        }

        private void CheckUnit(int unit, int? value, Exception? failure)
        {
            var expected = Expect(unit);
            if (expected.Success ? value != expected.Value || failure is not null : failure is null || !expected.Matches(failure))
            {
                Problem($"unit {unit} ended with {Describe(value, failure)}; expected {expected.Expected}");
            }
        }

        private void CheckGroup(object? result, Exception? failure)
        {
            // Group members have one attempt and no step timeout: a late member is late for the group's timeout.
            var late = Enumerable.Range(0, _acts.Length).Where(i => _timed && IsLate(_acts[i][0])).ToArray();
            var failed = Enumerable.Range(0, _acts.Length).Where(i => !Succeeds(_acts[i][0]) && !late.Contains(i)).ToArray();
            var succeeded = Enumerable.Range(0, _acts.Length).Where(i => Succeeds(_acts[i][0])).ToArray();
            bool IsThrownBy(Exception e, int i) => ReferenceEquals(e, _thrown.GetValueOrDefault((i, 1)));

            switch (_policy)
            {
                case FailurePolicy.FailFast when failed.Length > 0:
                    if (failure is null || !failed.Any(i => IsThrownBy(failure, i)))
                    {
                        Problem($"fail-fast ended with {Describe(result, failure)}; expected the exception of one of members [{string.Join(", ", failed)}]");
                    }

                    break;
                case FailurePolicy.FailFast or FailurePolicy.WaitAll when late.Length > 0:
                case FailurePolicy.FirstSuccess when succeeded.Length == 0 && late.Length > 0:
                    if (failure?.GetType() != typeof(TimeoutException))
                    {
                        Problem($"members [{string.Join(", ", late)}] ended after the group's timeout, yet the group ended with {Describe(result, failure)}, not TimeoutException");
                    }

                    break;
                case FailurePolicy.WaitAll when failed.Length > 0:
                case FailurePolicy.FirstSuccess when succeeded.Length == 0:
                    if (failure is not AggregateException aggregate || !aggregate.InnerExceptions.SequenceEqual(failed.Select(i => _thrown[(i, 1)])))
                    {
                        Problem($"ended with {Describe(result, failure)}; expected an AggregateException of members [{string.Join(", ", failed)}] in order");
                    }

                    break;
                case FailurePolicy.FirstSuccess:
                    if (failure is not null || !succeeded.Select(i => ValueOf(i, 1)).Contains(result is int value ? value : -1))
                    {
                        Problem($"first-success ended with {Describe(result, failure)}; expected the value of one of members [{string.Join(", ", succeeded)}]");
                    }

                    break;
                case FailurePolicy.ContinueOnError when _acts.Length - late.Length - failed.Length < _minSuccessCount:
                    if (failure is not AggregateException)
                    {
                        Problem($"{succeeded.Length} members succeeded, fewer than {_minSuccessCount}, yet the group ended with {Describe(result, failure)}");
                    }

                    break;
                case FailurePolicy.ContinueOnError:
                    if (result is not Outcome<int>[] outcomes)
                    {
                        Problem($"continue-on-error ended with {Describe(result, failure)}");
                        break;
                    }

                    for (var i = 0; i < outcomes.Length; i++)
                    {
                        var ok = late.Contains(i) ? outcomes[i].Exception?.GetType() == typeof(TimeoutException)
                            : failed.Contains(i) ? IsThrownBy(outcomes[i].Exception!, i)
                            : outcomes[i].IsSuccess && outcomes[i].Value == ValueOf(i, 1);
                        if (!ok)
                        {
                            Problem($"member {i} ({_acts[i][0]}) has the outcome {outcomes[i]}");
                        }
                    }

                    break;
                default:
                    if (failure is not null || result is not int[] values || !values.SequenceEqual(Enumerable.Range(0, _acts.Length).Select(i => ValueOf(i, 1))))
                    {
                        Problem($"every member succeeded in time, yet the group ended with {Describe(result, failure)}");
                    }

                    break;
            }
        }

        private void CheckForEach(object? result, Exception? failure)
        {
            var expected = Enumerable.Range(0, _acts.Length).Select(Expect).ToArray();
            var failing = Enumerable.Range(0, _acts.Length).Where(i => !expected[i].Success).ToArray();
            if (_policy != FailurePolicy.ContinueOnError)
            {
                if (failing.Length == 0)
                {
                    if (failure is not null || result is not IReadOnlyList<int> values || !values.SequenceEqual(expected.Select(e => e.Value)))
                    {
                        Problem($"every item succeeded, yet the loop ended with {Describe(result, failure)}");
                    }
                }
                else if (failure is null || !failing.Any(i => expected[i].Matches(failure)))
                {
                    Problem($"the loop ended with {Describe(result, failure)}; expected what one of items [{string.Join(", ", failing)}] ended with");
                }

                return;
            }

            var successes = _acts.Length - failing.Length;
            if (_minSuccessRate > 0 && successes < _minSuccessRate * _acts.Length)
            {
                if (failure is not AggregateException aggregate || aggregate.InnerExceptions.Count != failing.Length
                    || !failing.Select((item, i) => expected[item].Matches(aggregate.InnerExceptions[i])).All(ok => ok))
                {
                    Problem($"{successes} of {_acts.Length} items succeeded, below the rate {_minSuccessRate}; the loop ended with {Describe(result, failure)}");
                }

                return;
            }

            if (failure is not null || result is not IReadOnlyList<Outcome<int>> outcomes || outcomes.Count != _acts.Length)
            {
                Problem($"continue-on-error ended with {Describe(result, failure)}");
                return;
            }

            for (var i = 0; i < outcomes.Count; i++)
            {
                var ok = expected[i].Success
                    ? outcomes[i].IsSuccess && outcomes[i].Value == expected[i].Value
                    : !outcomes[i].IsSuccess && expected[i].Matches(outcomes[i].Exception!);
                if (!ok)
                {
                    Problem($"item {i} ({string.Join(",", _acts[i])}) has the outcome {outcomes[i]}; expected {expected[i].Expected}");
                }
            }
        }

        // What holds even when the machine stalled: a unit whose every attempt was late never gives a value.
        private void CheckNoLateSuccess(object? result, Exception? failure)
        {
            bool AlwaysLate(int unit) => _timed && _acts[unit].All(IsLate);
            switch (result)
            {
                case int value when _shape == Shape.Step && AlwaysLate(0):
                    Problem($"the step was late on every attempt, yet returned {value}");
                    break;
                case IReadOnlyList<int> when _shape == Shape.ForEach && Enumerable.Range(0, _acts.Length).Any(AlwaysLate):
                    Problem("an item was late on every attempt, yet the fail-fast loop succeeded");
                    break;
                case IReadOnlyList<Outcome<int>> outcomes when Enumerable.Range(0, outcomes.Count).Any(i => AlwaysLate(i) && outcomes[i].IsSuccess):
                    Problem("an item was late on every attempt, yet its outcome is a success");
                    break;
                case int[] when _shape == Shape.Group && Enumerable.Range(0, _acts.Length).Any(AlwaysLate):
                    Problem("a member ended after the group's timeout, yet the group succeeded");
                    break;
                case Outcome<int>[] members when Enumerable.Range(0, members.Length).Any(i => AlwaysLate(i) && members[i].IsSuccess):
                    Problem("a member ended after the group's timeout, yet its outcome is a success");
                    break;
            }

            _ = failure;
        }

        private static string Describe(object? result, Exception? failure) =>
            failure is not null ? $"{failure.GetType().Name}: {failure.Message}" : $"the result {Format(result)}";

        private static string Format(object? result) => result switch
        {
            null => "null",
            System.Collections.IEnumerable sequence => "[" + string.Join(", ", sequence.Cast<object?>().Take(10)) + "]",
            _ => result.ToString() ?? "",
        };
    }
}
