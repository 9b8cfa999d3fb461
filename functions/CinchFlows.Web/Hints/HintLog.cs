using CinchFlows.Flows.Hints;

namespace CinchFlows.Web.Hints;

/// <summary>Log messages of live-transcript hints (event ids 2700-2799): call, agent and protocol, never what was said.</summary>
internal static partial class HintLog
{
    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Hint {Protocol} sent to agent {AgentId} on call {CallId}.")]
    public static partial void HintSent(this ILogger logger, string callId, string agentId, HintProtocol protocol);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Debug, Message = "Hint {Protocol} was already given on call {CallId}: not sent again.")]
    public static partial void HintAlreadyGiven(this ILogger logger, string callId, HintProtocol protocol);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Warning, Message = "Hint {Protocol} on call {CallId} could not be sent; it is forgotten so a redelivered segment can try again.")]
    public static partial void HintUndelivered(this ILogger logger, Exception exception, string callId, HintProtocol protocol);

    [LoggerMessage(EventId = 2704, Level = LogLevel.Error, Message = "Hint {Protocol} on call {CallId} could not be sent nor forgotten: it will not be given on this call.")]
    public static partial void HintNotForgotten(this ILogger logger, Exception exception, string callId, HintProtocol protocol);
}
