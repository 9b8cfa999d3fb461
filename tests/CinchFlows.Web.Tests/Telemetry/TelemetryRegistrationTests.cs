using CinchFlows.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CinchFlows.Web.Tests.Telemetry;

public sealed class TelemetryRegistrationTests
{
    [Fact]
    public async Task NoExporterConfigured_NothingIsRegistered()
    {
        await using var app = Build([]);

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("Telemetry:OtlpEndpoint", "http://127.0.0.1:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/")]
    public async Task AnExporterConfigured_TracesAndMetricsAreRegistered(string key, string value)
    {
        await using var app = Build([new(key, value)]);

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    private static WebApplication Build(KeyValuePair<string, string?>[] settings) =>
        CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(
        [
            new("Urls", "http://127.0.0.1:0"),
            new("Durable:Store", "InMemory"),
            new("Logging:LogLevel:Default", "Warning"),
            .. settings,
        ]));
}
