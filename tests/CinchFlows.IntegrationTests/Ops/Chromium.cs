using Microsoft.Playwright;

namespace CinchFlows.IntegrationTests.Ops;

/// <summary>
/// Playwright driving Debian's <c>chromium</c> (installed by scripts/test.sh) by its path, headless. Playwright's own
/// browser download is never used: this machine's registries do not serve it.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    /// <summary>Where Debian puts the browser; <c>CINCHFLOWS_CHROMIUM</c> overrides it.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>The label of the ops page's paste box for a person's token or a key.</summary>
    public const string SignInLabel = "Your sign-in token, or an API key (read-only)";

    /// <summary>The folder screenshots go to: <c>artifacts/screenshots/</c> at the repository root (git-ignored).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public static async Task<Chromium> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("CINCHFLOWS_CHROMIUM") is { Length: > 0 } given ? given : DefaultPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No chromium at {path}. scripts/test.sh installs Debian's chromium (apt-get install chromium); or set CINCHFLOWS_CHROMIUM to a Chromium binary.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,

                // A container's /dev/shm is small; Chromium falls back to /tmp instead of crashing tabs.
                Args = ["--disable-dev-shm-usage"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh page (its own session storage) with a clear failure when the page logs a script error; every request it
    /// makes carries <paramref name="headers"/> (standing in for what App Service adds in front of the app).
    /// </summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> NewPageAsync(IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            ExtraHTTPHeaders = headers,
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.SetDefaultTimeout(30_000);
        return (context, page, errors);
    }

    /// <summary>Opens the ops page of the service at <paramref name="baseAddress"/> and signs in with <paramref name="credential"/> (a person's token or a key).</summary>
    public static async Task SignInAsync(IPage page, Uri baseAddress, string credential)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(new Uri(baseAddress, "/api/ops/").ToString());
        await page.GetByLabel(SignInLabel).FillAsync(credential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        playwright.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CinchFlows.sln")))
            {
                return folder.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
