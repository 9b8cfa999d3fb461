namespace CinchFlows.Web.Access;

/// <summary>Names of the authentication schemes besides the API key's.</summary>
internal static class CallerDefaults
{
    /// <summary>The scheme every policy uses: it forwards to <see cref="BearerScheme"/> for <c>Authorization: Bearer</c>, to App Service's sign-in when on and its header is there, else to the API key's.</summary>
    public const string Scheme = "Caller";

    /// <summary>People's bearer tokens (JwtBearer).</summary>
    public const string BearerScheme = "Bearer";
}
