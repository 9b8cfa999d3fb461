using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Flows.Starts;

/// <summary>
/// Start claims in the Azure Table <c>{TaskHubName}StartClaims</c> on the app's storage account, shared by every worker.
/// PartitionKey: the instance id (escaped, see <see cref="PartitionKeyOf"/>); RowKey empty; <c>ClaimedAt</c>; <c>Holder</c>
/// (a new id per claim attempt). The insert is the claim (409 when held); the entity's ETag is the holder's token, so a
/// release or a take-over never removes someone else's claim. A 409 on a row this attempt's own <c>Holder</c> wrote is
/// this attempt's claim: the storage client sent the insert again after its first answer was lost. A row lives only
/// while its start runs (seconds), unless its holder died: then the next start after <see cref="StartClaim.Timeout"/>
/// takes it over and releases it.
/// </summary>
public sealed class TableStartClaims : IStartClaims, IDisposable
{
    private readonly LazyTable lazyTable;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the claims on the app's storage account (the host registers <see cref="AppStorage"/>).</summary>
    public TableStartClaims(AppStorage storage, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(storage);
        lazyTable = storage.Table("StartClaims", "start-claims");
        this.timeProvider = timeProvider;
    }

    /// <summary>The table's name.</summary>
    public string TableName => lazyTable.Name;

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();

    /// <inheritdoc/>
    public async Task<StartClaim?> TryClaimAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var key = PartitionKeyOf(instanceId);

        // Twice at most: a claim released between the failed insert and the read is free again.
        // Not a flow: a claim attempt may draw a random id (Guid.NewGuid is banned here for the flows' sake).
        var holder = System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            try
            {
                var added = await table.AddEntityAsync(new TableEntity(key, string.Empty) { ["ClaimedAt"] = now, ["Holder"] = holder }, cancellationToken).ConfigureAwait(false);
                return new StartClaim(instanceId, added.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The claim's insert returned no ETag."));
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }

            var held = await table.GetEntityIfExistsAsync<TableEntity>(key, string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!held.HasValue || held.Value is null)
            {
                continue;
            }

            if (held.Value.GetString("Holder") == holder)
            {
                // Our own insert, sent again by the storage client after its answer was lost (a slow or dropped
                // response): without this the caller would be told another request holds the start, and the claim
                // would block every start of the id, its own platform's retries included, until it lapsed.
                return new StartClaim(instanceId, held.Value.ETag.ToString());
            }

            var claimedAt = held.Value.GetDateTimeOffset("ClaimedAt") ?? held.Value.Timestamp ?? now;
            if (now - claimedAt <= StartClaim.Timeout)
            {
                return null;
            }

            try
            {
                var taken = await table.UpdateEntityAsync(new TableEntity(key, string.Empty) { ["ClaimedAt"] = now, ["Holder"] = holder }, held.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new StartClaim(instanceId, taken.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The claim's update returned no ETag."));
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Someone else took it over first.
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Released meanwhile: claim it afresh.
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(StartClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        try
        {
            var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
            await table.DeleteEntityAsync(PartitionKeyOf(claim.InstanceId), string.Empty, new ETag(claim.Token), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Gone or taken over (404, 412), or storage failed: the claim then lapses after its timeout. The flow it
            // guarded exists by now, and every later start of its id finds it before claiming.
        }
    }

    /// <summary>
    /// The PartitionKey of <paramref name="instanceId"/>: the id with the characters Azure refuses in keys (<c>/ \ # ?</c>,
    /// controls) and <c>%</c> percent-escaped. Flow ids are business keys and come through unchanged; the management API
    /// can start any id.
    /// </summary>
    public static string PartitionKeyOf(string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var escaped = new System.Text.StringBuilder(instanceId.Length);
        foreach (var c in instanceId)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                escaped.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
