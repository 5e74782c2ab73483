using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Tuples;

// The last stage has several values: RunAsync returns a named tuple of them in declaration order,
// leaving out the member that returns nothing.
[Workflow]
public partial class Dashboard
{
    [Step]
    public int UserId(string login) => login.Length;

    [Step, Parallel("widgets")]
    public Task<int> Unread(int userId, CancellationToken cancellationToken) => Task.FromResult(userId * 3);

    [Step, Parallel("widgets")]
    public Task Ping(int userId) => Task.CompletedTask;

    [Step, Parallel("widgets")]
    public ValueTask<string> Greeting(int userId) => new("hi " + userId);

    [Step, Parallel("widgets")]
    public bool IsAdmin(int userId) => userId == 0;
}

public static class TupleResultUsage
{
    public static async Task<string> RunAsync()
    {
        (int unread, string greeting, bool isAdmin) = await new Dashboard().RunAsync("ann");
        var named = await new Dashboard().RunAsync("bob");
        return greeting + unread + isAdmin + named.Unread + named.Greeting + named.IsAdmin;
    }
}
