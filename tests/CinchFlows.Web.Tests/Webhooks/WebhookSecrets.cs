using System.Text;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>Webhook secrets the test apps are configured with, and one they never accept.</summary>
internal static class WebhookSecrets
{
    public static readonly string Primary = Make("cinchflows unit-test secret #1");

    public static readonly string Rotated = Make("cinchflows unit-test secret #2");

    public static readonly string Unknown = Make("a secret nobody configured");

    private static string Make(string text) => "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
