using Azure.Monitor.OpenTelemetry.Exporter;
using CinchFlows.Flows;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CinchFlows.Web.Telemetry;

/// <summary>Registers OpenTelemetry (traces, metrics, logs) when an exporter is configured: OTLP, Azure Monitor, or both.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The Durable Task SDK's activity source: its orchestration, activity and timer spans.</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    /// <summary>Every activity source of the app.</summary>
    public static readonly string[] Sources = [WebhookTelemetry.Name, DurableTaskSource, FlowTracing.SourceName];

    /// <summary>Every meter of the app.</summary>
    public static readonly string[] Meters = [WebhookTelemetry.Name, FlowMetrics.MeterName];

    /// <summary>Adds the exporters that configuration asks for; with none, nothing is registered and nothing leaves the process.</summary>
    public static TBuilder AddTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlpEndpoint = Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;
        var otlp = otlpEndpoint is not null || !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.OtlpEndpointVariable]);
        var azureMonitor = builder.Configuration[TelemetryOptions.ApplicationInsightsVariable] is { Length: > 0 } connectionString ? connectionString : null;
        if (!otlp && azureMonitor is null)
        {
            return builder;
        }

        // Without an explicit endpoint the OTLP exporter reads the OTEL_EXPORTER_OTLP_* variables itself (protocol, headers).
        void Otlp(OpenTelemetry.Exporter.OtlpExporterOptions o)
        {
            if (otlpEndpoint is not null)
            {
                o.Endpoint = otlpEndpoint;
            }
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName));
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(Sources).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (otlp)
            {
                tracing.AddOtlpExporter(Otlp);
            }

            if (azureMonitor is not null)
            {
                tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = azureMonitor);
            }
        });
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (otlp)
            {
                metrics.AddOtlpExporter(Otlp);
            }

            if (azureMonitor is not null)
            {
                metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor);
            }
        });
        telemetry.WithLogging(logging =>
        {
            if (otlp)
            {
                logging.AddOtlpExporter(Otlp);
            }

            if (azureMonitor is not null)
            {
                logging.AddAzureMonitorLogExporter(o => o.ConnectionString = azureMonitor);
            }
        });
        return builder;
    }
}
