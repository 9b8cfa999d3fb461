using CinchFlows.Functions.Hosting;
using CinchFlows.Functions.Http;
using CinchFlows.Web.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers get ASP.NET Core's HttpContext, so they call the same handlers as the standalone host; exceptions
// that escape one are answered as the standalone host's exception handler answers them.
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ApiResponseHeadersMiddleware>();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.UseMiddleware<HttpContextAccessorMiddleware>();
builder.Services.AddCinchFlowsFunctions(builder.Configuration);
builder.AddTelemetry();
builder.Build().Run();
