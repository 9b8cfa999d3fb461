namespace CinchFlows.Web.StuckFlows;

/// <summary>Why a flow counts as stuck.</summary>
internal enum StuckFlowKind
{
    /// <summary>
    /// Its history ended (completed, failed or terminated) but its status row still says Pending or Running: the
    /// Azure Storage backend writes the two separately and a crash came between (Azure/durabletask issue 1252).
    /// Repairable: the row can be rewritten from the history.
    /// </summary>
    EndedButShownRunning,

    /// <summary>Pending for longer than the quiet time with no history at all: its start message never ran.</summary>
    NeverStarted,

    /// <summary>Waiting far past its own deadline (<c>customStatus.due</c>) with no timer left to fire: whatever should wake it is lost.</summary>
    OverdueWithNothingScheduled,
}
