namespace CinchFlows.Durable.Storage;

/// <summary>The table entity size limit, enforced alike by both stores so tests meet it before Azure does.</summary>
internal static class EntitySize
{
    /// <summary>Azure allows 1 MiB per entity; this leaves room for keys, column names and system properties.</summary>
    public const int MaxEntityBytes = 900 * 1024;

    /// <summary>Throws when <paramref name="chars"/> characters of string data (two bytes each in Azure's accounting) would not fit.</summary>
    public static void EnsureFits(long chars, string what)
    {
        if (chars * 2 > MaxEntityBytes)
        {
            throw new InvalidOperationException(
                $"{what} is {chars * 2 / 1024} KiB as a table entity; the limit is {MaxEntityBytes / 1024} KiB (Azure allows 1 MiB). Keep large payloads out of orchestration inputs, outputs and events.");
        }
    }
}
