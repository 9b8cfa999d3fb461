using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Web.Http;

namespace CinchFlows.Web.Access;

/// <summary>Who acts: a signed-in person acts as themselves (a body id must be theirs); nobody else acts.</summary>
internal static class PersonActor
{
    /// <summary>
    /// The id to record for <paramref name="context"/>'s caller: the person's token's id; a body <paramref name="field"/>
    /// that names anyone else is refused with 403. The person policies keep keys and app-only tokens off actions; should
    /// one get here anyway, it is refused with 403 too.
    /// </summary>
    public static bool TryResolve(HttpContext context, JsonElement? body, string field, out string id, out IResult? problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        id = string.Empty;
        problem = null;
        string? given = null;
        var present = false;
        if (body is { } value && value.ValueKind != JsonValueKind.Object)
        {
            problem = ApiProblems.BadRequest($"The body must be a JSON object ('{field}' optional: it can only be you).");
            return false;
        }

        if (body is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(field, out var element) && element.ValueKind != JsonValueKind.Null)
        {
            present = true;
            given = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }

        if (present && !BusinessKeys.IsValid(given))
        {
            problem = ApiProblems.BadRequest($"'{field}' must be 1-{BusinessKeys.MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'.");
            return false;
        }

        if (CallerClaims.PersonIdOf(context.User) is { } person)
        {
            if (!BusinessKeys.IsValid(person))
            {
                problem = Forbidden("Your sign-in name cannot be recorded as an id here (letters, digits and '-', '_', '.', ':', '@').");
                return false;
            }

            if (present && !string.Equals(given, person, StringComparison.OrdinalIgnoreCase))
            {
                problem = Forbidden($"'{field}' must be you ('{person}') or left out: nobody acts as someone else.");
                return false;
            }

            id = person;
            return true;
        }

        problem = Forbidden(PersonRequirement.SignInDetail);
        return false;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not yours to do");
}
