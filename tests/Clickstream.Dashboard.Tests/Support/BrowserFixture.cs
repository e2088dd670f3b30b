using Microsoft.Playwright;

namespace Clickstream.Dashboard.Tests.Support;

/// <summary>
/// Headless Chromium from the operating system (Debian's <c>chromium</c> package) driven by Playwright; Playwright's
/// own browser download is not used. Missing Chromium fails the tests with the command that installs it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    /// <summary>Where screenshots go: <c>tests/Clickstream.Dashboard.Tests/TestResults/screenshots/</c>.</summary>
    public static string ScreenshotFolder { get; } = LocateScreenshotFolder();

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("CLICKSTREAM_CHROMIUM") ?? ChromiumPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium is required by the dashboard browser tests and was not found at {path}. " +
                "Install it with `apt-get install -y chromium` (test.sh does), or point CLICKSTREAM_CHROMIUM at a Chromium binary.");
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh page in its own context, 1440×1000, light colour scheme.</summary>
    public async Task<IPage> NewPageAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            ColorScheme = scheme,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private static string LocateScreenshotFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Clickstream.Dashboard.Tests.csproj")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}
