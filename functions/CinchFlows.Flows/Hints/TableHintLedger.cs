using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Flows.Hints;

/// <summary>
/// Hints given, in the Azure Table <c>{TaskHubName}Hints</c> on the app's storage account. PartitionKey: the call id;
/// RowKey: the protocol's wire name; the only other column is <c>HintedTime</c>. The insert is the once-per-call guard:
/// it fails with 409 when any instance already gave that hint.
/// </summary>
public sealed class TableHintLedger : IHintLedger, IDisposable
{
    private readonly LazyTable lazyTable;

    /// <summary>Creates the ledger on the app's storage account (the host registers <see cref="AppStorage"/>).</summary>
    public TableHintLedger(AppStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        lazyTable = storage.Table("Hints", "hints");
        TableName = lazyTable.Name;
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();

    /// <inheritdoc/>
    public async Task<bool> TryRecordAsync(string callId, HintProtocol protocol, DateTimeOffset hintedTime, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(PartitionKeyOf(callId), protocol.WireName()) { ["HintedTime"] = hintedTime };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> FindAsync(string callId, HintProtocol protocol, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyOf(callId), protocol.WireName(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? entity.GetDateTimeOffset("HintedTime") ?? entity.Timestamp : null;
    }

    /// <inheritdoc/>
    public async Task ForgetAsync(string callId, HintProtocol protocol, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(PartitionKeyOf(callId), protocol.WireName(), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The PartitionKey of <paramref name="callId"/>: the id itself, which must be a business key (letters, digits,
    /// <c>-_.:@</c>, at most 80 characters), so none of the characters real Azure refuses in keys (<c>/ \ # ?</c>,
    /// controls) can reach it, even though Azurite would take them.
    /// </summary>
    public static string PartitionKeyOf(string callId) =>
        BusinessKeys.IsValid(callId) ? callId : throw new ArgumentException("A call id must be a business key to key a hint.", nameof(callId));
}
