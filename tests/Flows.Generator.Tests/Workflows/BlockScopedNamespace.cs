using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples
{
    namespace Billing.Invoices
    {
        [Workflow]
        internal partial class InvoiceFlow
        {
            [Step]
            internal ValueTask<decimal> Total(decimal[] amounts, CancellationToken cancellationToken)
            {
                decimal total = 0;
                foreach (var amount in amounts)
                {
                    total += amount;
                }

                return new ValueTask<decimal>(total);
            }

            [Step]
            private static string Format(decimal total) => total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        }

        internal static class InvoiceFlowUsage
        {
            public static async Task<string> RunAsync() => await new InvoiceFlow().RunAsync(new[] { 1.5m, 2.25m });
        }
    }
}
