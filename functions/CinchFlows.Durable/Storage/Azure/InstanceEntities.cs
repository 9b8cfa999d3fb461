using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>
/// Maps instances to table rows: the status row ("state") with real columns for what queries filter on and JSON for
/// payloads, and one row per history chunk ("h-00000000"). Long strings are split over numbered columns (Input, Input_1…)
/// because Azure caps a string property at 64 KiB.
/// </summary>
internal static class InstanceEntities
{
    /// <summary>RowKey of the status row.</summary>
    public const string StateRowKey = "state";

    /// <summary>RowKey prefix of history chunk rows.</summary>
    public const string ChunkRowKeyPrefix = "h-";

    /// <summary>
    /// Largest entity written, by Azure's own size formula. The service cap is 1 MiB; a step bigger than this is
    /// rejected instead of being split over several rows, which keeps a commit at one row per chunk (payloads that
    /// large belong in blobs, referenced from the orchestration).
    /// </summary>
    public const int MaxEntityBytes = EntitySize.MaxEntityBytes;

    /// <summary>Characters per string column: Azure allows 32K UTF-16 characters (64 KiB); keep a margin.</summary>
    public const int MaxCharsPerColumn = 32_000;

    // A column can be split into at most this many parts before the entity hits MaxEntityBytes anyway.
    private const int MaxParts = (MaxEntityBytes / (MaxCharsPerColumn * 2)) + 1;

    private const string RuntimeStatusColumn = "RuntimeStatus";
    private const string CreatedTimeColumn = "CreatedTime";
    private const string LastUpdatedTimeColumn = "LastUpdatedTime";
    private const string NextTimerAtColumn = "NextTimerAt";
    private const string IsTerminalColumn = "IsTerminal";
    private const string OutboxCountColumn = "OutboxCount";
    private const string NameColumn = "Name";
    private const string InputColumn = "Input";
    private const string OutputColumn = "Output";
    private const string CustomStatusColumn = "CustomStatus";
    private const string FailureColumn = "Failure";
    private const string ParentInstanceIdColumn = "ParentInstanceId";
    private const string HistoryChunksColumn = "HistoryChunks";
    private const string HistoryEventCountColumn = "HistoryEventCount";
    private const string OutboxColumn = "Outbox";
    private const string WaitingForColumn = "WaitingFor";
    private const string WaitingSinceColumn = "WaitingSince";
    private const string ScheduledStartTimeColumn = "ScheduledStartTime";
    private const string DataColumn = "Data";

    // Azure's DateTime range starts in 1601; earlier values are rejected by the service with a vague 400.
    private static readonly DateTimeOffset MinStorableTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Columns of a listing without inputs and outputs (every part of the columns kept).</summary>
    public static IReadOnlyList<string> SummaryColumns { get; } =
    [
        "PartitionKey", "RowKey", NameColumn, RuntimeStatusColumn, CreatedTimeColumn, LastUpdatedTimeColumn, ParentInstanceIdColumn,
        HistoryChunksColumn, HistoryEventCountColumn, OutboxCountColumn, NextTimerAtColumn, WaitingForColumn, WaitingSinceColumn, ScheduledStartTimeColumn,
        IsTerminalColumn, .. PartNames(FailureColumn), .. PartNames(OutboxColumn),
    ];

    /// <summary>The RowKey of history chunk <paramref name="index"/>.</summary>
    public static string ChunkRowKey(int index) => ChunkRowKeyPrefix + index.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Builds the status row of <paramref name="record"/>.</summary>
    public static TableEntity ToStateEntity(InstanceRecord record)
    {
        var entity = new TableEntity(record.InstanceId, StateRowKey)
        {
            [NameColumn] = record.Name,
            [RuntimeStatusColumn] = record.RuntimeStatus.ToString(),
            [CreatedTimeColumn] = Storable(record.CreatedTime, nameof(record.CreatedTime)),
            [LastUpdatedTimeColumn] = Storable(record.LastUpdatedTime, nameof(record.LastUpdatedTime)),
            [HistoryChunksColumn] = record.HistoryChunks,
            [HistoryEventCountColumn] = record.HistoryEventCount,
            [OutboxCountColumn] = record.DispatchableOutboxCount,
            [IsTerminalColumn] = record.IsTerminal,
        };
        SetIfNotNull(entity, ParentInstanceIdColumn, record.ParentInstanceId);
        SetIfNotNull(entity, WaitingForColumn, record.WaitingFor);
        if (record.NextTimerAt is { } timer)
        {
            entity[NextTimerAtColumn] = Storable(timer, nameof(record.NextTimerAt));
        }

        if (record.WaitingSince is { } since)
        {
            entity[WaitingSinceColumn] = Storable(since, nameof(record.WaitingSince));
        }

        if (record.ScheduledStartTime is { } startAt)
        {
            entity[ScheduledStartTimeColumn] = Storable(startAt, nameof(record.ScheduledStartTime));
        }

        SetLong(entity, InputColumn, record.Input);
        SetLong(entity, OutputColumn, record.Output);
        SetLong(entity, CustomStatusColumn, record.CustomStatus);
        SetLong(entity, FailureColumn, record.Failure is null ? null : JsonSerializer.Serialize(record.Failure, DurableJson.Options));
        SetLong(entity, OutboxColumn, record.Outbox.Count == 0 ? null : JsonSerializer.Serialize(record.Outbox, DurableJson.Options));
        EnsureFits(entity, $"The status of instance '{record.InstanceId}'");
        return entity;
    }

    /// <summary>Reads a status row back; columns not selected come back null or empty.</summary>
    public static InstanceRecord ToRecord(TableEntity entity)
    {
        var failure = GetLong(entity, FailureColumn);
        var outbox = GetLong(entity, OutboxColumn);
        return new InstanceRecord
        {
            InstanceId = entity.PartitionKey,
            Name = entity.GetString(NameColumn) ?? string.Empty,
            RuntimeStatus = Enum.Parse<OrchestrationRuntimeStatus>(entity.GetString(RuntimeStatusColumn) ?? nameof(OrchestrationRuntimeStatus.Pending)),
            Input = GetLong(entity, InputColumn),
            Output = GetLong(entity, OutputColumn),
            CustomStatus = GetLong(entity, CustomStatusColumn),
            Failure = failure is null ? null : JsonSerializer.Deserialize<TaskFailureDetails>(failure, DurableJson.Options),
            CreatedTime = entity.GetDateTimeOffset(CreatedTimeColumn) ?? default,
            LastUpdatedTime = entity.GetDateTimeOffset(LastUpdatedTimeColumn) ?? default,
            ParentInstanceId = entity.GetString(ParentInstanceIdColumn),
            HistoryChunks = entity.GetInt32(HistoryChunksColumn) ?? 0,
            HistoryEventCount = entity.GetInt32(HistoryEventCountColumn) ?? 0,
            Outbox = outbox is null ? [] : JsonSerializer.Deserialize<List<WorkMessage>>(outbox, DurableJson.Options) ?? [],
            NextTimerAt = entity.GetDateTimeOffset(NextTimerAtColumn),
            WaitingFor = entity.GetString(WaitingForColumn),
            WaitingSince = entity.GetDateTimeOffset(WaitingSinceColumn),
            ScheduledStartTime = entity.GetDateTimeOffset(ScheduledStartTimeColumn),
        };
    }

    /// <summary>Builds the row of one history chunk: the events one step added, as a JSON array.</summary>
    public static TableEntity ToChunkEntity(string instanceId, int index, IReadOnlyList<HistoryEvent> events)
    {
        var entity = new TableEntity(instanceId, ChunkRowKey(index));
        SetLong(entity, DataColumn, JsonSerializer.Serialize(events, DurableJson.Options));
        EnsureFits(entity, $"History chunk {index} of instance '{instanceId}'");
        return entity;
    }

    /// <summary>The index of a chunk row, or null when the row is not a chunk.</summary>
    public static int? ChunkIndex(TableEntity entity) =>
        entity.RowKey.StartsWith(ChunkRowKeyPrefix, StringComparison.Ordinal)
        && int.TryParse(entity.RowKey.AsSpan(ChunkRowKeyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    /// <summary>Reads the events of a chunk row.</summary>
    public static List<HistoryEvent> ToEvents(TableEntity entity) =>
        JsonSerializer.Deserialize<List<HistoryEvent>>(GetLong(entity, DataColumn) ?? "[]", DurableJson.Options) ?? [];

    /// <summary>The size Azure bills and limits an entity by (its documented formula).</summary>
    public static long EstimateSize(TableEntity entity)
    {
        long size = 4 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 2);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")
            {
                continue;
            }

            size += 8 + (name.Length * 2) + value switch
            {
                string s => 4 + (s.Length * 2),
                byte[] b => 4 + b.Length,
                bool => 1,
                int => 4,
                Guid => 16,
                _ => 8,
            };
        }

        return size;
    }

    private static IEnumerable<string> PartNames(string column) =>
        Enumerable.Range(0, MaxParts).Select(i => PartName(column, i));

    private static string PartName(string column, int part) =>
        part == 0 ? column : column + "_" + part.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Storable(DateTimeOffset value, string what) =>
        value >= MinStorableTime
            ? value.ToUniversalTime()
            : throw new ArgumentOutOfRangeException(what, value, $"Azure Table storage cannot store {what} before the year 1601.");

    private static void SetIfNotNull(TableEntity entity, string column, string? value)
    {
        if (value is not null)
        {
            entity[column] = value;
        }
    }

    private static void SetLong(TableEntity entity, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        var part = 0;
        var start = 0;
        do
        {
            var length = Math.Min(MaxCharsPerColumn, value.Length - start);

            // Never split a surrogate pair: each part must be valid UTF-16 on its own to survive the JSON wire format.
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
            {
                length--;
            }

            entity[PartName(column, part++)] = value.Substring(start, length);
            start += length;
        }
        while (start < value.Length);
    }

    private static string? GetLong(TableEntity entity, string column)
    {
        var first = entity.GetString(column);
        if (first is null || !entity.ContainsKey(PartName(column, 1)))
        {
            return first;
        }

        var builder = new StringBuilder(first);
        for (var part = 1; entity.GetString(PartName(column, part)) is { } next; part++)
        {
            builder.Append(next);
        }

        return builder.ToString();
    }

    private static void EnsureFits(TableEntity entity, string what)
    {
        var size = EstimateSize(entity);
        if (size > MaxEntityBytes)
        {
            throw new InvalidOperationException(
                $"{what} is {size / 1024} KiB as a table entity; the limit is {MaxEntityBytes / 1024} KiB (Azure allows 1 MiB). Keep large payloads out of orchestration inputs, outputs and events.");
        }
    }
}
