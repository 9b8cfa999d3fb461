using System.Text.Json;

namespace CinchFlows.Web.Http;

/// <summary>What <see cref="JsonBodyReader"/> read: the JSON value (null for an empty body), or the problem to answer with.</summary>
internal sealed record JsonBodyResult(JsonElement? Value, IResult? Problem)
{
    /// <summary>True when the body was empty or valid JSON.</summary>
    public bool Succeeded => Problem is null;
}
