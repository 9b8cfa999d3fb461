using System.Buffers;

namespace CinchFlows.Web.Management;

/// <summary>Rules for instance ids: they become storage partition keys, so only a safe alphabet is allowed.</summary>
internal static class InstanceIds
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>The rule in words, for answers that refuse an id.</summary>
    public const string Rule = "1-200 characters of letters, digits and '-', '_', '.', ':', '@'";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@");

    /// <summary>True if <paramref name="instanceId"/> is non-empty, at most 200 characters of letters, digits and <c>-_.:@</c>.</summary>
    public static bool IsValid(string? instanceId) =>
        !string.IsNullOrEmpty(instanceId)
        && instanceId.Length <= MaxLength
        && !instanceId.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws <see cref="ArgumentException"/> with a readable reason when the id is not valid.</summary>
    public static void Validate(string? instanceId, string paramName = "instanceId")
    {
        if (!IsValid(instanceId))
        {
            throw new ArgumentException(
                $"Instance id must be 1-{MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'.",
                paramName);
        }
    }
}
