using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace CinchFlows.Functions.Notifications;

/// <summary>Builds Service Bus shared access signature (SAS) tokens.</summary>
internal static class SharedAccessSignature
{
    /// <summary>
    /// <c>SharedAccessSignature sr={url-encoded resource}&amp;sig={url-encoded signature}&amp;se={expiry}&amp;skn={key name}</c>, where the
    /// signature is the Base64 HMAC-SHA256, keyed with the UTF-8 bytes of <paramref name="key"/>, of the encoded resource, a
    /// line feed and the expiry in Unix seconds.
    /// </summary>
    public static string Build(string resource, string keyName, string key, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var encodedResource = WebUtility.UrlEncode(resource);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        // Service Bus keys are used as text, not Base64-decoded (unlike IoT Hub's).
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"SharedAccessSignature sr={encodedResource}&sig={WebUtility.UrlEncode(Convert.ToBase64String(signature))}&se={expiry}&skn={WebUtility.UrlEncode(keyName)}");
    }
}
