using System.Collections.Frozen;

namespace CinchFlows.Web.Ops;

/// <summary>The ops dashboard page: a few static files embedded in the executable, served without a key (the data behind them needs one).</summary>
internal static class OpsPageEndpoints
{
    /// <summary>The page's route under <c>/api</c>, in both hosts (the Functions app's routes all sit under its route prefix, <c>api</c>).</summary>
    public const string Route = "ops";

    /// <summary>The route of the page's files under <c>/api</c>: only the three names, so it never overlaps <c>/api/ops/flows</c> (the Functions host does not rank literal routes first).</summary>
    public const string AssetRoute = "ops/{asset:regex(^(index\\.html|ops\\.js|ops\\.css)$)}";

    /// <summary>Where the page lives.</summary>
    public const string PagePath = "/api/" + Route;

    // Nothing from elsewhere: no CDN, no inline script, no framing by another site.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["ops.js"] = "text/javascript; charset=utf-8",
        ["ops.css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(LoadFiles);

    /// <summary>Maps <c>/api/ops</c> (with <c>/</c>) and its files on <paramref name="api"/> (the <c>/api</c> group).</summary>
    public static RouteGroupBuilder MapOpsPage(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, Page).AllowAnonymous().ExcludeFromDescription();
        api.MapGet(AssetRoute, (string asset, HttpResponse response) => Serve(response, asset)).AllowAnonymous().ExcludeFromDescription();
        return api;
    }

    /// <summary>The page at <c>/api/ops/</c>; <c>/api/ops</c> redirects there (routing matches both; the page links its files relatively, so only the slashed one may serve it).</summary>
    internal static IResult Page(HttpRequest request, HttpResponse response) =>
        request.Path.Value!.EndsWith('/') ? Serve(response, "index.html") : TypedResults.Redirect(request.PathBase + PagePath + "/");

    /// <summary>The bytes of an embedded asset, or null.</summary>
    internal static byte[]? Asset(string name) => Files.Value.GetValueOrDefault(name);

    /// <summary>An embedded asset with the page's security headers, or 404.</summary>
    internal static IResult Serve(HttpResponse response, string asset)
    {
        if (Asset(asset) is not { } bytes)
        {
            return TypedResults.NotFound();
        }

        var headers = response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(bytes, ContentTypes[asset]);
    }

    private static FrozenDictionary<string, byte[]> LoadFiles()
    {
        var assembly = typeof(OpsPageEndpoints).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in ContentTypes.Keys)
        {
            using var stream = assembly.GetManifestResourceStream("CinchFlows.Ops." + name)
                ?? throw new InvalidOperationException($"The ops page asset '{name}' is not embedded in {assembly.GetName().Name}.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
