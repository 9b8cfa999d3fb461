using System.Text;

namespace CinchFlows.Durable.Storage;

/// <summary>The work queue's size limit, enforced alike by both stores so tests meet it before Azure does.</summary>
internal static class QueueMessageSize
{
    /// <summary>Azure Queues take messages up to 64 KiB; bodies travel Base64-encoded.</summary>
    public const int MaxBase64Chars = 64 * 1024;

    /// <summary>The Base64 length of <paramref name="body"/>'s UTF-8 bytes.</summary>
    public static int Base64Length(string body) => (Encoding.UTF8.GetByteCount(body) + 2) / 3 * 4;

    /// <summary>Throws <see cref="PayloadTooLargeException"/> when <paramref name="body"/> would not fit.</summary>
    public static void EnsureFits(WorkMessage message, string body)
    {
        var length = Base64Length(body);
        if (length > MaxBase64Chars)
        {
            throw new PayloadTooLargeException(message.Id, length, MaxBase64Chars);
        }
    }
}
