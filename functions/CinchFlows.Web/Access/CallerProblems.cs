using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>The 401 and 403 problem bodies of every caller scheme (API key, bearer token, App Service sign-in).</summary>
internal static class CallerProblems
{
    /// <summary>The extension member of a 401 that says where a person signs in (only with App Service sign-in on).</summary>
    public const string SignInMember = "signIn";

    /// <summary>
    /// Writes a problem details body with <paramref name="status"/> and <paramref name="detail"/>. A 401 carries
    /// <see cref="SignInMember"/> when App Service sign-in is on, so the ops page can offer it; otherwise it does not, so the
    /// page offers only the paste box.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        };
        if (status == StatusCodes.Status401Unauthorized && services.GetRequiredService<IOptions<IdentityOptions>>().Value.AppServiceAuthentication)
        {
            problem.ProblemDetails.Extensions[SignInMember] = AppServiceDefaults.SignInPath;
        }

        await services.GetRequiredService<IProblemDetailsService>().WriteAsync(problem);
    }
}
