using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Web.Supervision;

/// <summary>
/// Acknowledgements in the Azure Table <c>{TaskHubName}EscalationAcks</c>: one row per escalation (PartitionKey: the
/// escalation id), inserted once. The insert is the atomic step: the second one gets 409 from storage and reads who won.
/// </summary>
internal sealed class TableEscalationAcknowledgements(AppStorage storage) : IEscalationAcknowledgements, IDisposable
{
    private const string RowKey = "ack";
    private readonly LazyTable lazyTable = storage.Table("EscalationAcks", "escalation-acks");

    /// <inheritdoc/>
    public async Task<string> ClaimAsync(string escalationId, string by, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(escalationId, RowKey) { ["By"] = by }, cancellationToken).ConfigureAwait(false);
            return by;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var row = await table.GetEntityAsync<TableEntity>(escalationId, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.Value.GetString("By") ?? throw new InvalidOperationException($"The acknowledgement of {escalationId} has no 'By'.", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();
}
