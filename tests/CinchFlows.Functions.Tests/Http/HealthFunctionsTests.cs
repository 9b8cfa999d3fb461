using System.Text.Json;
using CinchFlows.Functions.Http;
using CinchFlows.Functions.Tests.Support;
using CinchFlows.Web.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>The Functions app's health answer (docs/api.md §6): status only without an ops key, the detail with one.</summary>
public sealed class HealthFunctionsTests
{
    private const string StorageError = "Service request failed.\nStatus: 403 https://secretaccount.blob.core.windows.net/leases?comp=list";

    [Fact]
    public async Task Health_without_a_key_is_200_with_the_status_only()
    {
        var (status, body) = await HealthAsync(key: null, storageDown: false);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("""{"status":"Healthy"}""", body);
    }

    [Fact]
    public async Task Health_with_an_ops_key_is_200_with_the_counters()
    {
        var (status, body) = await HealthAsync(FunctionsServices.OpsKey, storageDown: false);

        Assert.Equal(StatusCodes.Status200OK, status);
        var health = JsonDocument.Parse(body).RootElement;
        Assert.Equal("probe", health.GetProperty("storageCheck").GetString());
        Assert.True(health.TryGetProperty("storageRequestsByComponent", out _), body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(FunctionsServices.SupervisorKey)]
    [InlineData("not-a-key-0123456789")]
    public async Task Health_without_an_ops_key_is_503_without_the_storage_error_when_storage_fails(string? key)
    {
        var (status, body) = await HealthAsync(key, storageDown: true);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("Storage is not answering.", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain("secretaccount", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Service request failed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_with_an_ops_key_is_503_with_the_storage_error_when_storage_fails()
    {
        var (status, body) = await HealthAsync(FunctionsServices.OpsKey, storageDown: true);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("Storage is not reachable: Service request failed.", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    private static async Task<(int Status, string Body)> HealthAsync(string? key, bool storageDown)
    {
        var engine = new Mock<IEngineHealth>();
        engine.SetupGet(e => e.Ready).Returns(true);
        engine.SetupGet(e => e.Store).Returns("AzureStorage");
        engine.Setup(e => e.CheckStorageAsync(It.IsAny<CancellationToken>()))
            .Returns(storageDown ? Task.FromException(new InvalidOperationException(StorageError)) : Task.CompletedTask);
        var client = FunctionsServices.Client();
        await using var services = FunctionsServices.Build(client, replace: s => s.AddSingleton(engine.Object));
        using var scope = services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        context.Request.Path = "/api/health";
        context.Response.Body = new MemoryStream();
        if (key is not null)
        {
            context.Request.Headers["X-Api-Key"] = key;
        }

        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(scope.ServiceProvider);
        var result = await functions.Health(context.Request, client.Object);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync());
    }
}
