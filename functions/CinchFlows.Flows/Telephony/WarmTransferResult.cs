namespace CinchFlows.Flows.Telephony;

/// <summary>How a warm transfer ended.</summary>
/// <param name="Connected">The platform reported "transfer connected".</param>
/// <param name="Attempts">Attempts made.</param>
internal sealed record WarmTransferResult(bool Connected, int Attempts);
