using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Web.Webhooks;

/// <summary>
/// Receipts in the Azure Table <c>{TaskHubName}WebhookReceipts</c> on the app's storage account, so every instance of the
/// app answers a redelivery the same way. PartitionKey: the first hex digits of the id's SHA-256 (spreads load);
/// RowKey: the id, escaped for table keys. Rows are small and never updated; delete old ones with the account's tools.
/// </summary>
internal sealed class TableWebhookReceiptStore : IWebhookReceiptStore, IDisposable
{
    private const int PartitionHexDigits = 3;

    /// <summary>The longest escaped row key used as it is; longer ones are hashed.</summary>
    private const int MaxEscapedKeyLength = 400;

    private static readonly SearchValues<char> KeyCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@");

    private readonly LazyTable lazyTable;

    /// <summary>Creates the store on the app's storage account.</summary>
    public TableWebhookReceiptStore(AppStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        lazyTable = storage.Table("WebhookReceipts", "webhook-receipts");
        TableName = lazyTable.Name;
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The PartitionKey of <paramref name="webhookId"/>.</summary>
    public static string PartitionKeyOf(string webhookId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(webhookId)))[..PartitionHexDigits];

    /// <summary>
    /// The RowKey of <paramref name="webhookId"/>: letters, digits and <c>-_.:@</c> as they are, any other character as
    /// <c>~</c> and its UTF-16 code in four hex digits, so none of the characters table keys forbid (<c>/ \ # ?</c>,
    /// controls) remain and no two ids share a key. <c>%</c> is avoided too: some storage front ends mishandle it in keys.
    /// An escaped key longer than 400 characters becomes <c>h~</c> and the id's SHA-256 (keys stop at 1 KiB).
    /// </summary>
    public static string RowKeyOf(string webhookId)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        if (!webhookId.AsSpan().ContainsAnyExcept(KeyCharacters))
        {
            return webhookId;
        }

        var key = new StringBuilder(webhookId.Length * 2);
        foreach (var c in webhookId)
        {
            if (KeyCharacters.Contains(c))
            {
                key.Append(c);
            }
            else
            {
                key.Append('~').Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        // Table keys stop at 1 KiB; an id of many escaped characters would pass that, so it is keyed by its hash instead
        // (the id itself is kept in the row).
        return key.Length <= MaxEscapedKeyLength
            ? key.ToString()
            : "h~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(webhookId)));
    }

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();

    /// <inheritdoc/>
    public async Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyOf(webhookId), RowKeyOf(webhookId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }

        return new WebhookReceipt(
            entity.GetString("WebhookId") ?? webhookId,
            entity.GetInt32("StatusCode") ?? StatusCodes.Status202Accepted,
            entity.GetString("Body") ?? string.Empty,
            entity.GetString("Location"),
            entity.GetDateTimeOffset("ReceivedTime") ?? entity.Timestamp ?? default);
    }

    /// <inheritdoc/>
    public async Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(PartitionKeyOf(receipt.WebhookId), RowKeyOf(receipt.WebhookId))
        {
            ["WebhookId"] = receipt.WebhookId,
            ["StatusCode"] = receipt.StatusCode,
            ["Body"] = receipt.Body,
            ["Location"] = receipt.Location,
            ["ReceivedTime"] = receipt.ReceivedTime,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            // Another instance answered the same delivery first: its receipt stands.
        }
    }
}
