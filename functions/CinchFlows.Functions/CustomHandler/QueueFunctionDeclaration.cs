using System.Text.Json.Nodes;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>A function triggered by a storage queue of the app's account (connection <c>AzureWebJobsStorage</c>).</summary>
/// <param name="Name">The function's name and invocation path.</param>
/// <param name="QueueName">The queue.</param>
internal sealed record QueueFunctionDeclaration(string Name, string QueueName) : FunctionDeclaration(Name)
{
    /// <summary>The binding's name: the key of the message in the invocation's <c>Data</c>.</summary>
    public const string BindingName = "message";

    /// <summary>The connection setting prefix: identity-based <c>AzureWebJobsStorage__accountName</c> in Azure.</summary>
    public const string Connection = "AzureWebJobsStorage";

    /// <inheritdoc/>
    public override JsonObject ToFunctionJson() => new()
    {
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["type"] = "queueTrigger",
            ["direction"] = "in",
            ["name"] = BindingName,
            ["queueName"] = QueueName,
            ["connection"] = Connection,
        }),
    };
}
