using Microsoft.DurableTask;

namespace CinchFlows.Web.Tests.Support;

/// <summary>Gives its input back.</summary>
internal sealed class EchoActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
}
