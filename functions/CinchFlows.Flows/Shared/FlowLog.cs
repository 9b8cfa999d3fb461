using CinchFlows.Flows.Notifications;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Flows.Shared;

/// <summary>Log messages of the flows (event ids 3000-3099), written through replay-safe loggers.</summary>
internal static partial class FlowLog
{
    [LoggerMessage(3001, LogLevel.Error, "Flow {FlowId} could not publish notification {MessageId} ({Subject}) to {Topic} after every retry; the flow goes on: {Reason}")]
    public static partial void NotificationLost(ILogger logger, string flowId, string messageId, string subject, NotificationTopic topic, string reason);

    [LoggerMessage(3002, LogLevel.Error, "Flow {FlowId} could not send telephony command {Kind} after every retry; the flow goes on: {Reason}")]
    public static partial void CommandLost(ILogger logger, string flowId, string kind, string reason);

    [LoggerMessage(3003, LogLevel.Error, "Flow {FlowId} could not start {FlowName} {InstanceId} after every retry; the flow goes on: {Reason}")]
    public static partial void StartLost(ILogger logger, string flowId, string flowName, string instanceId, string reason);

    [LoggerMessage(3004, LogLevel.Error, "Flow {FlowId} cannot ever send notification {MessageId} ({Subject}) to {Topic}, so it was not retried; the flow goes on: {Reason}")]
    public static partial void NotificationUndeliverable(ILogger logger, string flowId, string messageId, string subject, NotificationTopic topic, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Flow {FlowId} could not read whether a hint came first; it is recorded as none: {Reason}")]
    public static partial void HintUnread(ILogger logger, string flowId, string reason);
}
