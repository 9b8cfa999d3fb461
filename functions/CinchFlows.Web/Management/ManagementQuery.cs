using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Primitives;

namespace CinchFlows.Web.Management;

/// <summary>Parses the management API's query strings; every bad value is a readable error (400), never an exception.</summary>
internal static class ManagementQuery
{
    /// <summary>The header that carries the continuation token both ways.</summary>
    public const string ContinuationTokenHeader = "x-ms-continuation-token";

    /// <summary>The statuses docs/api.md §5 names (the SDK's enum also has obsolete ones that never occur).</summary>
    public static readonly IReadOnlyList<OrchestrationRuntimeStatus> Listed =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>Page size when <c>top</c> is not given.</summary>
    public const int DefaultTop = 100;

    /// <summary>Largest page; a larger <c>top</c> is cut to this.</summary>
    public const int MaxTop = 1000;

    /// <summary>Reads a boolean flag such as <c>showHistory</c>; absent or empty gives <paramref name="defaultValue"/>.</summary>
    public static bool TryParseFlag(IQueryCollection query, string name, bool defaultValue, out bool value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        value = defaultValue;
        error = null;
        var raw = query[name].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        if (bool.TryParse(raw.Trim(), out value))
        {
            return true;
        }

        error = $"'{name}' must be true or false, not '{raw}'.";
        return false;
    }

    /// <summary>Parses <c>runtimeStatus</c>, <c>createdTimeFrom</c>, <c>createdTimeTo</c>, <c>instanceIdPrefix</c>, <c>top</c> and <c>showInput</c>.</summary>
    public static bool TryParseList(IQueryCollection query, StringValues continuationToken, out InstanceListRequest? request, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        request = null;
        if (!TryParseStatuses(query["runtimeStatus"], out var statuses, out error)
            || !TryParseTime(query, "createdTimeFrom", out var from, out error)
            || !TryParseTime(query, "createdTimeTo", out var to, out error)
            || !TryParseTop(query["top"], out var top, out error)
            || !TryParseFlag(query, "showInput", defaultValue: true, out var showInput, out error))
        {
            return false;
        }

        if (from > to)
        {
            error = "'createdTimeFrom' is later than 'createdTimeTo'.";
            return false;
        }

        var prefix = query["instanceIdPrefix"].ToString();
        if (prefix.Length > 0 && !InstanceIds.IsValid(prefix))
        {
            error = $"'instanceIdPrefix' may hold only letters, digits and '-', '_', '.', ':', '@' (at most {InstanceIds.MaxLength}).";
            return false;
        }

        var token = continuationToken.ToString();
        request = new InstanceListRequest(
            new OrchestrationQuery
            {
                Statuses = statuses,
                CreatedFrom = from,
                CreatedTo = to,
                InstanceIdPrefix = prefix.Length > 0 ? prefix : null,
                PageSize = top,
                FetchInputsAndOutputs = true,
            },
            showInput,
            string.IsNullOrWhiteSpace(token) ? null : token.Trim());
        return true;
    }

    /// <summary>Parses a comma-separated (or repeated) list of status names, case-insensitively.</summary>
    public static bool TryParseStatuses(StringValues values, out IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses, out string? error)
    {
        statuses = null;
        error = null;
        var parsed = new HashSet<OrchestrationRuntimeStatus>();
        foreach (var part in values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            // Names only: Enum.TryParse would also take "2" or "Running, Failed" as flags.
            var match = Listed
                .Where(s => string.Equals(s.ToString(), part, StringComparison.OrdinalIgnoreCase))
                .Select(s => (OrchestrationRuntimeStatus?)s)
                .FirstOrDefault();
            if (match is null)
            {
                error = $"'runtimeStatus' value '{part}' is not one of {string.Join(", ", Listed)}.";
                return false;
            }

            parsed.Add(match.Value);
        }

        statuses = parsed.Count == 0 ? null : [.. parsed.Order()];
        return true;
    }

    /// <summary>Parses an ISO 8601 time; without an offset it is taken as UTC.</summary>
    public static bool TryParseTime(IQueryCollection query, string name, out DateTimeOffset? time, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        time = null;
        error = null;
        var raw = query[name].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(raw.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        error = $"'{name}' must be an ISO 8601 time such as 2025-01-31T09:00:00Z, not '{raw}'.";
        return false;
    }

    /// <summary>Parses <c>top</c>: a positive integer, cut to <see cref="MaxTop"/>; absent gives <see cref="DefaultTop"/>.</summary>
    public static bool TryParseTop(StringValues values, out int top, out string? error)
    {
        top = DefaultTop;
        error = null;
        var raw = values.ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
        {
            // A huge number is still a valid page request: it is cut to the maximum below rather than refused.
            if (raw.Trim().All(char.IsAsciiDigit) && raw.Trim().TrimStart('0').Length > 0)
            {
                top = MaxTop;
                return true;
            }

            error = $"'top' must be a whole number from 1 to {MaxTop}, not '{raw}'.";
            return false;
        }

        top = Math.Min(parsed, MaxTop);
        return true;
    }
}
