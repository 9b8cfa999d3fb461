namespace CinchFlows.Web.Access;

/// <summary>Names of the API-key authentication scheme.</summary>
internal static class ApiKeyDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string AuthenticationScheme = "ApiKey";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <c>WWW-Authenticate</c> challenge sent with 401.</summary>
    public const string Challenge = "ApiKey header=\"X-Api-Key\"";
}
