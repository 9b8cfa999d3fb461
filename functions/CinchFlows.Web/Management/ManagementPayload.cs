namespace CinchFlows.Web.Management;

/// <summary>The URLs to check and control one instance (Durable Functions' "check status response" payload).</summary>
/// <param name="Id">The instance id.</param>
/// <param name="StatusQueryGetUri">GET: the instance's status.</param>
/// <param name="SendEventPostUri">POST: raise an event; replace <c>{eventName}</c>.</param>
/// <param name="TerminatePostUri">POST: terminate; replace <c>{text}</c> with the reason.</param>
/// <param name="SuspendPostUri">POST: suspend; replace <c>{text}</c> with the reason.</param>
/// <param name="ResumePostUri">POST: resume; replace <c>{text}</c> with the reason.</param>
/// <param name="PurgeHistoryDeleteUri">DELETE: purge the finished instance.</param>
internal sealed record ManagementPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string SuspendPostUri,
    string ResumePostUri,
    string PurgeHistoryDeleteUri);
