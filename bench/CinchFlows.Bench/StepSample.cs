namespace CinchFlows.Bench;

/// <summary>One reading during the load phase: when (on the phase's clock), the engine's steps and activities so far, and the notices Azurite has taken in.</summary>
internal sealed record StepSample(TimeSpan At, long Steps, long Activities, long Notices);
