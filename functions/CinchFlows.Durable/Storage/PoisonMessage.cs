namespace CinchFlows.Durable.Storage;

/// <summary>A message that kept failing, as kept on the poison queue.</summary>
/// <param name="MessageId">The work message's id, when it could be read.</param>
/// <param name="InstanceId">The instance it was for, when it could be read.</param>
/// <param name="Reason">Why it was poisoned.</param>
/// <param name="Body">The original body.</param>
/// <param name="PoisonedAt">When it was moved.</param>
public sealed record PoisonMessage(string? MessageId, string? InstanceId, string Reason, string Body, DateTimeOffset PoisonedAt);
