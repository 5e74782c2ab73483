using System.Globalization;

namespace Flows.Samples.Shared;

/// <summary>How the samples print times and numbers: invariant culture, so output reads the same everywhere.</summary>
internal static class Formatting
{
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Milliseconds(TimeSpan time) => Milliseconds(time.TotalMilliseconds);

    public static string Milliseconds(double milliseconds) =>
        milliseconds.ToString("#,##0", Invariant) + " ms";

    public static string Number(double value, string format) => value.ToString(format, Invariant);
}
