using System.Globalization;

namespace CinchFlows.TelephonySimulator.Demo;

/// <summary>The demo's command line; every default matches the service's local development configuration.</summary>
internal sealed record DemoOptions
{
    /// <summary>Base64 of <c>dev-webhook-secret-cinchflows-01</c>: <c>Telephony:WebhookSecrets</c> in appsettings.Development.json.</summary>
    public const string DevWebhookSecret = "whsec_ZGV2LXdlYmhvb2stc2VjcmV0LWNpbmNoZmxvd3MtMDE=";

    /// <summary>Base64 of <c>dev-command-secret-cinchflows-01</c>: <c>Telephony:CommandSecret</c> in appsettings.Development.json.</summary>
    public const string DevCommandSecret = "whsec_ZGV2LWNvbW1hbmQtc2VjcmV0LWNpbmNoZmxvd3MtMDE=";

    /// <summary>The option text of <c>--help</c>.</summary>
    public const string Usage = """
        usage: CinchFlows.TelephonySimulator demo [options]

        Plays the telephony platform against a running CinchFlows service: flags a medical emergency on a new call,
        receives the agent prompt and the warm transfer, answers the transfer, and follows the flow until it completes.

          --service URL          the service's base URL                  (default http://127.0.0.1:7071)
          --secret whsec_...     signs webhooks to the service           (default: the dev Telephony:WebhookSecrets)
          --command-secret ...   checks commands from the service        (default: the dev Telephony:CommandSecret)
          --command-port N       where commands are received, 127.0.0.1  (default 7072, as Telephony:CommandsUrl)
          --api-key KEY          ops key for the status API (X-Api-Key)  (default dev-ops-key)
          --scenario S           needs-service | in-progress             (default needs-service)
          --no-answer            do not answer the transfers: show the flow waiting, then follow it to its end
          --timeout SECONDS      how long to wait for the flow            (default 60)
        """;

    /// <summary>The service's base URL.</summary>
    public Uri Service { get; init; } = new("http://127.0.0.1:7071");

    /// <summary>The secret webhooks are signed with.</summary>
    public string WebhookSecret { get; init; } = DevWebhookSecret;

    /// <summary>The secret commands must be signed with.</summary>
    public string CommandSecret { get; init; } = DevCommandSecret;

    /// <summary>The command receiver's port on 127.0.0.1.</summary>
    public int CommandPort { get; init; } = 7072;

    /// <summary>The ops key for <c>GET /api/instances/{id}</c>.</summary>
    public string ApiKey { get; init; } = "dev-ops-key";

    /// <summary>Scenario 2 (a service request already in progress) instead of scenario 1 (needs service).</summary>
    public bool ServiceRequestInProgress { get; init; }

    /// <summary>Leave the transfer unanswered.</summary>
    public bool NoAnswer { get; init; }

    /// <summary>How long to wait for the flow.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads the options after the <c>demo</c> word.</summary>
    /// <exception cref="DemoException">An unknown option or a bad value (exit code 2).</exception>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (args[i][..eq], args[i][(eq + 1)..]) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw UsageError($"{name} needs a value"));
            options = name switch
            {
                "--service" => options with { Service = AbsoluteHttp(Value()) },
                "--secret" => options with { WebhookSecret = Secret(name, Value()) },
                "--command-secret" => options with { CommandSecret = Secret(name, Value()) },
                "--command-port" => options with { CommandPort = Number(name, Value(), 1, 65535) },
                "--api-key" => options with { ApiKey = Value() },
                "--scenario" => options with { ServiceRequestInProgress = Scenario(Value()) },
                "--no-answer" => options with { NoAnswer = true },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Number(name, Value(), 1, 3600)) },
                _ => throw UsageError($"unknown option '{args[i]}'"),
            };
        }

        return options;
    }

    private static DemoException UsageError(string problem) => new($"{problem} (see demo --help)", exitCode: 2);

    private static Uri AbsoluteHttp(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw UsageError($"--service must be an absolute http(s) URL, not '{value}'");

    private static string Secret(string name, string value)
    {
        try
        {
            StandardWebhooks.DecodeSecret(value);
            return value;
        }
        catch (FormatException)
        {
            throw UsageError($"{name} must be whsec_ followed by base64");
        }
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw UsageError($"{name} must be a number from {min} to {max}, not '{value}'");

    private static bool Scenario(string value) => value switch
    {
        "needs-service" => false,
        "in-progress" => true,
        _ => throw UsageError($"--scenario must be needs-service or in-progress, not '{value}'"),
    };
}
