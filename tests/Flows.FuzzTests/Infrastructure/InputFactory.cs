using Flows.FuzzTests.Generators;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>Makes input number <c>i</c> of a run from its own seed alone, so that <c>FLOWS_FUZZ_REPLAY=family:seed</c> makes it again.</summary>
internal static class InputFactory
{
    public const string Mutation = "mutation";
    public const string Synthesized = "synthesized";
    public const string Large = "large";

    /// <summary>The seed of input <paramref name="index"/> of the run with <paramref name="runSeed"/>.</summary>
    public static int InputSeed(int runSeed, int index) => unchecked((int)((uint)runSeed * 2_654_435_761u ^ (uint)(index * 40_503 + 17)) & 0x7FFF_FFFF);

    /// <summary>How many large inputs a run of <paramref name="total"/> has: one per 1,000, at least 2 (the first has 500 steps).</summary>
    public static int LargeCount(int total) => total < 10 ? 0 : Math.Max(2, total / 1000);

    /// <summary>The family of input <paramref name="index"/> of <paramref name="total"/>: the large inputs first, then a 60/40 mix of mutations and synthesized workflows.</summary>
    public static string FamilyOf(int index, int total, int inputSeed)
    {
        var large = LargeCount(total);
        if (index < large)
        {
            return Large;
        }

        return inputSeed % 10 < 6 ? Mutation : Synthesized;
    }

    /// <param name="largeSteps">For the large family: the step count (the run's first large input has 500); otherwise ignored.</param>
    public static FuzzInput Make(string family, int seed, int? largeSteps = null)
    {
        var random = new Random(seed);
        var settings = FuzzSettings.All[random.Next(FuzzSettings.All.Length)];
        switch (family)
        {
            case Mutation:
            {
                var entry = Corpus.Entries[random.Next(Corpus.Entries.Length)];
                var (files, description) = SyntaxMutator.Mutate(entry.Files, random);
                return new FuzzInput(family, seed, $"{entry.Name}: {description}", files, entry.Files, settings, ExpectAccepted: false);
            }

            case Synthesized:
            {
                var steps = random.Next(1, 13);
                var (files, previous, description) = WorkflowSynthesizer.Synthesize(random, settings.Nullable, steps);
                return new FuzzInput(family, seed, description, files, previous, settings, ExpectAccepted: true);
            }

            case Large:
            {
                var steps = largeSteps ?? random.Next(40, 151);
                var (files, previous, description) = WorkflowSynthesizer.Synthesize(random, settings.Nullable, steps);
                return new FuzzInput(family, seed, description, files, previous, settings, ExpectAccepted: true);
            }

            default:
                throw new ArgumentException($"Unknown family '{family}'.", nameof(family));
        }
    }

    /// <summary>Parses <c>family:seed</c> or <c>family:seed:steps</c>.</summary>
    public static FuzzInput FromReplayKey(string key)
    {
        var parts = key.Split(':');
        return Make(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts.Length > 2 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public static string ReplayKey(FuzzInput input, int? largeSteps) =>
        largeSteps is { } steps ? $"{input.Family}:{input.Seed}:{steps}" : $"{input.Family}:{input.Seed}";
}
