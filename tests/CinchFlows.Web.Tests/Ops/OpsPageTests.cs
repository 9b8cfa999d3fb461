using System.Net;
using System.Text.RegularExpressions;
using CinchFlows.Web.Tests.Support;

namespace CinchFlows.Web.Tests.Ops;

public sealed partial class OpsPageTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Theory]
    [InlineData("/api/ops/", "text/html")]
    [InlineData("/api/ops/index.html", "text/html")]
    [InlineData("/api/ops/ops.js", "text/javascript")]
    [InlineData("/api/ops/ops.css", "text/css")]
    public async Task Assets_AreServedFromTheExecutable_WithoutAKey(string path, string mediaType)
    {
        using var response = await app.SendAsync(HttpMethod.Get, path, key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/ops", "/api/ops/")]
    public async Task PageWithoutSlash_RedirectsSoRelativeAssetsResolve(string path, string target)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(target, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/api/ops/app.js")]
    [InlineData("/api/ops/..%2Fappsettings.json")]
    [InlineData("/api/ops/CinchFlows.Standalone.dll")]
    public async Task AnythingElse_IsNotServed(string path)
    {
        // Not one of the page's files, so no open route: closed to the anonymous (docs/api.md §0), not found for ops.
        using (var anonymous = await app.SendAsync(HttpMethod.Get, path, key: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var response = await app.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_LoadsNothingFromElsewhere()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/", key: null);
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("src=\"ops.js\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"ops.css\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
