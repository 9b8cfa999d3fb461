using System.Globalization;
using CinchFlows.Durable;
using CinchFlows.Functions.Callbacks;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>
/// Every Azure Functions function of the app, declared once: the publish step writes one function.json per entry, the
/// custom handler serves the non-HTTP ones at <c>POST /{Name}</c>, and a test checks that the HTTP entries are exactly
/// the app's routes. A route added to the app without an entry here fails that test.
/// </summary>
internal static class CinchFlowsFunctions
{
    /// <summary>The durable runtime's work queue (<c>{hub}-work</c>): orchestration messages, activities, timers.</summary>
    public const string DurableWork = nameof(DurableWork);

    /// <summary>The <c>callback-requests</c> queue: callbacks asked for on other channels.</summary>
    public const string CallbackRequests = nameof(CallbackRequests);

    /// <summary>The runtime's sweeper: re-sends outboxes a crash left behind.</summary>
    public const string DurableSweeper = nameof(DurableSweeper);

    /// <summary>The functions, with queue names and the sweep schedule taken from the options.</summary>
    public static IReadOnlyList<FunctionDeclaration> All(DurableTaskOptions durable, CallbackRequestOptions callbacks)
    {
        ArgumentNullException.ThrowIfNull(durable);
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

            new QueueFunctionDeclaration(DurableWork, durable.TaskHubName + "-work"),
            new QueueFunctionDeclaration(CallbackRequests, callbacks.QueueName),
            new TimerFunctionDeclaration(DurableSweeper, Schedule(durable.SweepInterval)),
        ];
    }

    /// <summary>The NCRONTAB schedule for a sweep interval that divides a minute or an hour.</summary>
    /// <exception cref="InvalidOperationException">The interval divides neither, so no schedule keeps it.</exception>
    public static string Schedule(TimeSpan interval)
    {
        var seconds = interval.TotalSeconds;
        if (seconds >= 1 && seconds < 60 && seconds == Math.Floor(seconds) && 60 % (int)seconds == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"*/{(int)seconds} * * * * *");
        }

        var minutes = interval.TotalMinutes;
        if (minutes >= 1 && minutes < 60 && minutes == Math.Floor(minutes) && 60 % (int)minutes == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"0 */{(int)minutes} * * * *");
        }

        throw new InvalidOperationException($"Durable:SweepInterval {interval} divides neither a minute nor an hour, so the sweeper's timer trigger cannot keep it.");
    }
}
