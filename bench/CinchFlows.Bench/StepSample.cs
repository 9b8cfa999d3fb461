namespace CinchFlows.Bench;

/// <summary>One reading of <c>/api/health</c> during the load phase: when (on the phase's clock), steps committed and empty polls so far.</summary>
internal sealed record StepSample(TimeSpan At, long Steps, long EmptyPolls);
