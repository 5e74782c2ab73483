namespace Flows.Benchmarks;

/// <summary>The cheap arithmetic every foreach body does, Flows and competitors alike.</summary>
internal static class Work
{
    public const int ItemCount = 10_000;
    public const int Degree = 8;

    public static int Compute(int item) => unchecked((item * 31 + 7) ^ (item >> 3));

    public static int[] Items(int count) => Enumerable.Range(0, count).ToArray();

    /// <summary>Throws when a foreach did not write every item's result: the competitors must do the same work.</summary>
    public static void Verify(int[] output, string who)
    {
        for (var i = 0; i < output.Length; i++)
        {
            if (output[i] != Compute(i))
            {
                throw new InvalidOperationException($"{who}: item {i} was not processed.");
            }
        }

        Array.Clear(output);
    }
}
