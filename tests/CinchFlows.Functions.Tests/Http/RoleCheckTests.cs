using System.Reflection;
using CinchFlows.Functions.Tests.Support;
using CinchFlows.Standalone;
using CinchFlows.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>
/// The same checks in both hosts: every route the standalone host guards answers 401 without a credential, 403 to a key
/// of too small a role, and on an action 403 to any key (actions need a person's token with the role), there over HTTP
/// and here by calling its function (anonymous to the Functions host, so the function's own <see cref="RoleGuard"/>
/// call is the only check).
/// </summary>
public sealed class RoleCheckTests
{
    public static TheoryData<string> GuardedRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var (route, policy) in StandaloneSurface.RoutesAsync().GetAwaiter().GetResult().Where(r => r.Value is not null).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            data.Add(route + " " + policy);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GuardedRoutes))]
    public async Task Functions_app_answers_401_without_a_credential_403_to_a_too_small_role_and_403_to_a_key_on_actions(string case_)
    {
        var (method, template, policy) = Parse(case_);
        var function = HttpFunctions().Single(f => f.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && "/api/" + f.Route == template);
        var client = FunctionsServices.Client();
        await using var services = FunctionsServices.Build(client);

        Assert.Equal(StatusCodes.Status401Unauthorized, await InvokeAsync(services, function, client, key: null));
        foreach (var (credential, allowed) in Expectations(policy))
        {
            var status = await InvokeAsync(services, function, client, credential.Value);
            if (allowed)
            {
                // Through the guard: what answers is the handler (here over a mock engine), never a 401 or 403 of the guard.
                Assert.True(status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden), $"{credential.Name}: {status}");
            }
            else
            {
                Assert.True(status == StatusCodes.Status403Forbidden, $"{credential.Name}: {status}");
            }
        }
    }

    [Theory]
    [InlineData("POST /api/callbacks/{callbackId}/claim")]
    [InlineData("POST /api/callbacks/{callbackId}/complete")]
    [InlineData("POST /api/escalations/{escalationId}/acknowledge")]
    [InlineData("POST /api/ops/stuck-flows/{instanceId}/repair")]
    [InlineData("POST /api/orchestrators/{name}/{instanceId?}")]
    [InlineData("POST /api/instances/{instanceId}/raiseEvent/{eventName}")]
    [InlineData("POST /api/instances/{instanceId}/terminate")]
    [InlineData("POST /api/instances/{instanceId}/suspend")]
    [InlineData("POST /api/instances/{instanceId}/resume")]
    [InlineData("DELETE /api/instances/{instanceId}")]
    public async Task Every_action_is_person_only_in_both_hosts(string route)
    {
        var routes = await StandaloneSurface.RoutesAsync();

        Assert.True(routes.TryGetValue(route, out var policy), $"{route} is not a standalone route");
        Assert.Contains(policy, new[] { AccessPolicies.OpsPerson, AccessPolicies.SupervisorPerson });
        var (method, template, _) = Parse(route + " " + policy);
        var function = HttpFunctions().Single(f => f.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && "/api/" + f.Route == template);
        var client = FunctionsServices.Client();
        await using var services = FunctionsServices.Build(client);
        Assert.Equal(StatusCodes.Status403Forbidden, await InvokeAsync(services, function, client, FunctionsServices.OpsKey));
        Assert.Equal(StatusCodes.Status403Forbidden, await InvokeAsync(services, function, client, FunctionsServices.SupervisorKey));
        Assert.Equal(StatusCodes.Status403Forbidden, await InvokeAsync(services, function, client, TestTokens.AppOnly("Ops")));
    }

    // Who may pass each policy: keys read, people act; ops may do what supervisors may.
    private static IEnumerable<((string Name, string Value) Credential, bool Allowed)> Expectations(string policy)
    {
        var supervisorKey = (Name: "supervisor key", Value: FunctionsServices.SupervisorKey);
        var opsKey = (Name: "ops key", Value: FunctionsServices.OpsKey);
        var supervisorPerson = (Name: "supervisor person", Value: TestTokens.Person("sam@contoso.test", "Supervisor"));
        var opsPerson = (Name: "ops person", Value: TestTokens.Person("olga@contoso.test", "Ops"));
        return policy switch
        {
            AccessPolicies.Ops => [(supervisorKey, false), (opsKey, true), (supervisorPerson, false), (opsPerson, true)],
            AccessPolicies.Supervisor or AccessPolicies.SignedIn => [(supervisorKey, true), (opsKey, true), (supervisorPerson, true), (opsPerson, true)],
            AccessPolicies.OpsPerson => [(supervisorKey, false), (opsKey, false), (supervisorPerson, false), (opsPerson, true)],
            AccessPolicies.SupervisorPerson => [(supervisorKey, false), (opsKey, false), (supervisorPerson, true), (opsPerson, true)],
            _ => throw new InvalidOperationException($"No expectations for policy '{policy}'."),
        };
    }

    [Fact]
    public async Task Standalone_host_answers_401_without_a_credential_and_403_to_a_too_small_role_or_a_key_on_actions()
    {
        var guarded = (await StandaloneSurface.RoutesAsync()).Where(r => r.Value is not null).ToList();
        await using var app = BuildStandalone();
        await app.StartAsync();
        using var http = Client(app);

        Assert.NotEmpty(guarded);
        foreach (var (route, policy) in guarded)
        {
            var (method, template, _) = Parse(route + " " + policy);
            var path = Fill(template);
            using var anonymous = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(anonymous.StatusCode == System.Net.HttpStatusCode.Unauthorized, $"{route}: {anonymous.StatusCode}");
            foreach (var (credential, allowed) in Expectations(policy!).Where(e => !e.Allowed))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                TestTokens.Apply(request, credential.Value);
                using var refused = await http.SendAsync(request);
                Assert.True(refused.StatusCode == System.Net.HttpStatusCode.Forbidden, $"{route} with {credential.Name}: {refused.StatusCode}");
            }
        }

        await app.StopAsync();
    }

    [Fact]
    public async Task Functions_app_answers_401_without_a_credential_on_every_trigger_but_the_ones_that_say_they_are_open()
    {
        // The open ones, each named on purpose: a trigger added later is guarded unless it is added here too.
        string[] open = ["Health", "HealthLive", "HealthReady", "OpsPage", "OpsPageAsset", "TelephonyEvents"];
        var client = FunctionsServices.Client();
        await using var services = FunctionsServices.Build(client);

        var answeredAnonymously = new List<string>();
        foreach (var function in HttpFunctions())
        {
            if (open.Contains(function.Method.Name, StringComparer.Ordinal))
            {
                continue;
            }

            var status = await InvokeAsync(services, function, client, key: null);
            if (status != StatusCodes.Status401Unauthorized)
            {
                answeredAnonymously.Add($"{function.Method.Name}: {status}");
            }
        }

        Assert.Empty(answeredAnonymously);
        Assert.Equal(open, HttpFunctions().Select(f => f.Method.Name).Where(open.Contains).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Standalone_host_closes_a_route_that_names_no_policy_and_one_that_does_not_exist()
    {
        await using var app = BuildStandalone();

        // A route added later by someone who forgot to say who may call it.
        app.MapGet("/api/added-later", () => "flow data");
        await app.StartAsync();
        using var http = Client(app);

        using (var anonymous = await http.GetAsync("/api/added-later"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var supervisor = new HttpRequestMessage(HttpMethod.Get, "/api/added-later"))
        {
            supervisor.Headers.Add("X-Api-Key", FunctionsServices.SupervisorKey);
            using var answer = await http.SendAsync(supervisor);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, answer.StatusCode);
        }

        using (var ops = new HttpRequestMessage(HttpMethod.Get, "/api/added-later"))
        {
            ops.Headers.Add("X-Api-Key", FunctionsServices.OpsKey);
            using var answer = await http.SendAsync(ops);
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        }

        using (var unknown = await http.GetAsync("/api/no-such-route"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        using (var health = await http.GetAsync("/api/health/live"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        }

        await app.StopAsync();
    }

    // The standalone host on the in-memory store, with the tests' ops and supervisor keys and token settings.
    private static WebApplication BuildStandalone() => CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(
    [
        new("Urls", "http://127.0.0.1:0"),
        new("Durable:Store", "InMemory"),
        new("Logging:LogLevel:Default", "Warning"),
        new("Access:Keys:0:key", FunctionsServices.OpsKey),
        new("Access:Keys:0:role", "ops"),
        new("Access:Keys:1:key", FunctionsServices.SupervisorKey),
        new("Access:Keys:1:role", "supervisor"),
        .. TestTokens.HostSettings,
    ]));

    private static HttpClient Client(WebApplication app) =>
        new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

    internal sealed record HttpFunction(Type Class, MethodInfo Method, string Route, string[] Methods);

    internal static IReadOnlyList<HttpFunction> HttpFunctions() =>
    [
        .. typeof(CinchFlows.Functions.Http.HttpFunctionGate).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new HttpFunction(f.Method.DeclaringType!, f.Method, f.Trigger!.Route!, f.Trigger.Methods!)),
    ];

    // Calls the function as the worker would with a key or a token (or nothing): route values as strings, the request, the mock engine's client.
    internal static Task<int> InvokeAsync(IServiceProvider services, HttpFunction function, Mock<DurableTaskClient> client, string? key) =>
        InvokeAsync(services, function, client, request =>
        {
            if (key is not null && key.StartsWith("eyJ", StringComparison.Ordinal))
            {
                request.Headers.Authorization = "Bearer " + key;
            }
            else if (key is not null)
            {
                request.Headers["X-Api-Key"] = key;
            }
        });

    // Calls the function as the worker would: a JSON request to the route (parameters "x") that prepare may change,
    // route values as strings, the mock engine's client. The status, or -1 when the gate let it through and the handler
    // failed on the mock engine (not a 401 or 403); the answer's body lands in responseBody.
    internal static async Task<int> InvokeAsync(
        IServiceProvider services, HttpFunction function, Mock<DurableTaskClient> client, Action<HttpRequest> prepare, Stream? responseBody = null)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        using var scope = services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = function.Methods[0].ToUpperInvariant();
        context.Request.Path = Fill("/api/" + function.Route);
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("{}"u8.ToArray());
        context.Response.Body = responseBody ?? new MemoryStream();
        prepare(context.Request);

        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Class);
        var arguments = function.Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(DurableTaskClient) => client.Object,
            var t when t == typeof(string) => (object)"x",
            _ => null,
        }).ToArray();
        try
        {
            var result = await (Task<IResult>)function.Method.Invoke(target, arguments)!;
            await result.ExecuteAsync(context);
        }
        catch (Exception ex) when (ex is not (Xunit.Sdk.XunitException or TargetInvocationException))
        {
            return -1;
        }

        return context.Response.StatusCode;
    }

    private static (string Method, string Template, string Policy) Parse(string value)
    {
        var parts = value.Split(' ');
        return (parts[0], parts[1], parts[2]);
    }

    // A concrete path for a route template: every parameter becomes "x".
    private static string Fill(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, "\\{[^}]*\\}", "x");

}
