using Microsoft.Playwright;
using Xunit;

namespace SiemAi.Testing;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (its own browser download is not reachable here, so
/// it is pointed at /usr/bin/chromium; CHROMIUM_PATH overrides). One browser, a fresh context per person.
/// </summary>
public sealed class ReviewBrowser : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run infra/local/test.sh (it installs chromium) or set CHROMIUM_PATH.");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
        });
    }

    /// <summary>A new browser profile (cookies of its own) signed in with <paramref name="key"/> through the login page.</summary>
    public async Task<IPage> SignInAsync(Uri site, string key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync("review");
        await page.GetByLabel("Your approver API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    /// <summary>On the incident's page, as the person signed in on <paramref name="page"/>: Approve, an optional comment, Submit, and the page's confirmation.</summary>
    public static async Task ApproveAsync(IPage page, Guid incidentId, string? comment = null)
    {
        await page.GotoAsync($"review/incidents/{incidentId:D}");
        await page.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        if (comment is not null)
        {
            await page.GetByLabel("Comment").FillAsync(comment);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit decision" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("was recorded");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
