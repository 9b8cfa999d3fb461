namespace CinchFlows.Web.Telemetry;

/// <summary>Where traces, metrics and logs go (section <c>Telemetry</c>). Nothing is exported unless an exporter is configured.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>The standard OpenTelemetry variable for the OTLP endpoint, also honoured.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard Application Insights variable; set, telemetry also goes to Azure Monitor.</summary>
    public const string ApplicationInsightsVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>An OTLP endpoint (gRPC, e.g. <c>http://127.0.0.1:4317</c>); overrides <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Default is none.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The <c>service.name</c> resource attribute. Default is <c>cinchflows</c>.</summary>
    public string ServiceName { get; set; } = "cinchflows";
}
