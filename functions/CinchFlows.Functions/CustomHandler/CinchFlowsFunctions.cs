using System.Globalization;
using CinchFlows.Functions.Callbacks;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>
/// Every Azure Functions function of the app, declared once: the publish step writes one function.json per entry, the
/// custom handler serves the non-HTTP ones at <c>POST /{Name}</c>, and a test checks that the HTTP entries are exactly
/// the app's routes. A route added to the app without an entry here fails that test.
/// </summary>
internal static class CinchFlowsFunctions
{
    /// <summary>The <c>callback-requests</c> queue: callbacks asked for on other channels.</summary>
    public const string CallbackRequests = nameof(CallbackRequests);

    /// <summary>The functions, with the callback queue's name taken from the options.</summary>
    /// <remarks>
    /// The flows themselves run on the Durable Task engine inside the process in this mode too (the hub on the Azure
    /// Storage backend, as standalone), so no queue or timer function drives them.
    /// </remarks>
    public static IReadOnlyList<FunctionDeclaration> All(CallbackRequestOptions callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        const string Get = "GET";
        const string Post = "POST";
        const string Delete = "DELETE";
        const string Anonymous = FunctionAuthLevel.Anonymous;
        const string Keyed = FunctionAuthLevel.Function;
        return
        [
            new HttpFunctionDeclaration("Health", "api/health", [Get], Anonymous),
            new HttpFunctionDeclaration("TelephonyEvents", "api/telephony/events", [Post], Anonymous),

            new HttpFunctionDeclaration("StartOrchestration", "api/orchestrators/{name}/{instanceId?}", [Post], Keyed),
            new HttpFunctionDeclaration("GetInstance", "api/instances/{instanceId}", [Get], Keyed),
            new HttpFunctionDeclaration("ListInstances", "api/instances", [Get], Keyed),
            new HttpFunctionDeclaration("RaiseEvent", "api/instances/{instanceId}/raiseEvent/{eventName}", [Post], Keyed),
            new HttpFunctionDeclaration("TerminateInstance", "api/instances/{instanceId}/terminate", [Post], Keyed),
            new HttpFunctionDeclaration("SuspendInstance", "api/instances/{instanceId}/suspend", [Post], Keyed),
            new HttpFunctionDeclaration("ResumeInstance", "api/instances/{instanceId}/resume", [Post], Keyed),
            new HttpFunctionDeclaration("PurgeInstance", "api/instances/{instanceId}", [Delete], Keyed),

            new HttpFunctionDeclaration("ListCallbacks", "api/callbacks", [Get], Keyed),
            new HttpFunctionDeclaration("ClaimCallback", "api/callbacks/{callbackId}/claim", [Post], Keyed),
            new HttpFunctionDeclaration("CompleteCallback", "api/callbacks/{callbackId}/complete", [Post], Keyed),
            new HttpFunctionDeclaration("AcknowledgeEscalation", "api/escalations/{escalationId}/acknowledge", [Post], Keyed),

            new HttpFunctionDeclaration("OpsPage", "ops", [Get], Anonymous),
            new HttpFunctionDeclaration("OpsPageAsset", "ops/{asset}", [Get], Anonymous),
            new HttpFunctionDeclaration("SearchFlows", "api/ops/flows", [Get], Keyed),

            new QueueFunctionDeclaration(CallbackRequests, callbacks.QueueName),
        ];
    }

}
