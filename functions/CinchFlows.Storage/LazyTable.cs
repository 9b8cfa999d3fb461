using Azure.Data.Tables;

namespace CinchFlows.Storage;

/// <summary>A table created on first use, once per process, whoever asks first (callback tasks, webhook receipts).</summary>
public sealed class LazyTable(TableClient table) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool created;

    /// <summary>The table's name.</summary>
    public string Name => table.Name;

    /// <summary>The table, created if it did not exist.</summary>
    public async ValueTask<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return table;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!created)
            {
                await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                created = true;
            }

            return table;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => gate.Dispose();
}
