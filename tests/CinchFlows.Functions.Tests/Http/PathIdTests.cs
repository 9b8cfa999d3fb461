using System.Reflection;
using CinchFlows.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>
/// The Functions app's triggers check ids from the path as the standalone host does (docs/api.md §4, §5): an id no
/// instance could have is a 404 (400 for a start, which would create it) before the engine or storage is asked.
/// </summary>
public sealed class PathIdTests
{
    /// <summary>Ids as the worker hands them over (decoded): characters a table key forbids, control characters, too long.</summary>
    private static readonly string[] BadIds = ["a/b", "a\\b", "a#b", "a?b", "a\u0001b", "a\u007fb", "a b", new string('x', 2000), new string('x', 201), ""];

    private static readonly string[] IdParameters = ["instanceId", "callbackId", "escalationId"];

    public static TheoryData<string> RoutesWithIds()
    {
        var data = new TheoryData<string>();
        foreach (var function in RoleCheckTests.HttpFunctions().Where(f => IdParameters.Any(p => f.Route.Contains("{" + p, StringComparison.Ordinal))))
        {
            data.Add(function.Methods[0].ToUpperInvariant() + " " + function.Route);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesWithIds))]
    public async Task An_id_no_instance_could_have_is_refused_before_the_engine_is_asked(string route)
    {
        var function = RoleCheckTests.HttpFunctions().Single(f => f.Methods[0].ToUpperInvariant() + " " + f.Route == route);
        var expected = function.Route.StartsWith("orchestrators/", StringComparison.Ordinal) ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
        foreach (var id in BadIds)
        {
            var client = FunctionsServices.Client();
            await using var services = FunctionsServices.Build(client);

            var status = await InvokeAsync(services, function, client, id);

            Assert.True(status == expected, $"{route} with id of length {id.Length}: {status}");
            Assert.Empty(client.Invocations);
        }
    }

    private static async Task<int> InvokeAsync(IServiceProvider services, RoleCheckTests.HttpFunction function, Mock<DurableTaskClient> client, string id)
    {
        using var scope = services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = function.Methods[0].ToUpperInvariant();
        context.Request.Path = "/api/" + function.Route;
        context.Request.QueryString = new QueryString("?reason=stuck");
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("""{"by":"ops-1","supervisorId":"sup-1","confirm":true}"""u8.ToArray());
        context.Response.Body = new MemoryStream();
        // Actions need a person: an ops person passes every route's guard, so what answers is the id check.
        context.Request.Headers.Authorization = "Bearer " + TestTokens.Person("ops-1", "Ops");
        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Class);
        var arguments = function.Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(DurableTaskClient) => client.Object,
            var t when t == typeof(string) => IdParameters.Contains(p.Name) ? id : (object)(p.Name == "name" ? "SupervisorCallback" : "CallbackClaimed"),
            _ => null,
        }).ToArray();
        var result = await (Task<IResult>)function.Method.Invoke(target, arguments)!;
        await result.ExecuteAsync(context);
        return context.Response.StatusCode;
    }
}
