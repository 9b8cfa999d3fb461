using Microsoft.AspNetCore.Authentication;

namespace CinchFlows.Web.Access;

/// <summary>
/// The <c>Authentication</c> configuration section JwtBearer reads its scheme settings from. AddAuthentication would
/// register the framework's provider, but it also adds data protection (see <see cref="AccessServiceCollectionExtensions"/>);
/// CinchFlows configures the scheme from <c>Identity</c> instead, so this section normally stays empty.
/// </summary>
internal sealed class AuthenticationSettings(IConfiguration configuration) : IAuthenticationConfigurationProvider
{
    /// <inheritdoc/>
    public IConfiguration AuthenticationConfiguration => configuration.GetSection("Authentication");
}
