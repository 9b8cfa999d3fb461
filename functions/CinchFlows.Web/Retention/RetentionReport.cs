namespace CinchFlows.Web.Retention;

/// <summary>What one retention sweep deleted.</summary>
/// <param name="Cutoff">Everything finished before this was due.</param>
/// <param name="Flows">Finished flows purged (with their history).</param>
/// <param name="WebhookReceipts">Webhook receipts deleted.</param>
/// <param name="CallbackTasks">Completed callback tasks deleted.</param>
/// <param name="Hints">Hint-ledger rows deleted.</param>
/// <param name="Actions">Action-log rows deleted.</param>
internal sealed record RetentionReport(DateTimeOffset Cutoff, int Flows, int WebhookReceipts, int CallbackTasks, int Hints, int Actions);
