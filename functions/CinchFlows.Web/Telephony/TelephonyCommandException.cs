using System.Net;

namespace CinchFlows.Web.Telephony;

/// <summary>The telephony platform did not accept a command (non-2xx, timeout or no connection); the activity retries with the same key.</summary>
/// <remarks>The message names the command type, the idempotency key and the answer, never the note.</remarks>
internal sealed class TelephonyCommandException : Exception
{
    /// <summary>Creates the exception for one failed delivery.</summary>
    /// <param name="message">What happened, without the command's note.</param>
    /// <param name="statusCode">The platform's answer, or null when none came (timeout, connection error).</param>
    /// <param name="responseExcerpt">The start of the platform's answer body, if any.</param>
    /// <param name="innerException">The transport error, if any.</param>
    public TelephonyCommandException(string message, HttpStatusCode? statusCode = null, string? responseExcerpt = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ResponseExcerpt = responseExcerpt;
    }

    /// <summary>The platform's HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The start of the platform's answer body (at most a few hundred characters), or null.</summary>
    public string? ResponseExcerpt { get; }
}
