using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ParPlatform.Testing;

namespace ParPlatform.Web.Tests;

/// <summary>Screenshots for the README: the viewport (1366x768), not the full page, as PNG in the repository.</summary>
public static partial class Screenshots
{
    /// <summary>tests/Web.Tests/screenshots under the repository root (the README links them from there).</summary>
    public static string Folder { get; } = Path.Combine(AppHostRun.RepositoryRoot, "tests", "Web.Tests", "screenshots");

    /// <summary>Saves <c>screenshots/&lt;name&gt;.png</c> (lower-case letters, digits and dashes) and returns its path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        if (!FileName().IsMatch(name))
        {
            throw new ArgumentException($"A screenshot name is lower-case letters, digits and dashes: {name}", nameof(name));
        }
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        // Animations stopped and the caret hidden (Playwright's defaults for the caret): the same page gives the same
        // picture, so re-running the tests does not change the committed files without a reason.
        await page.ScreenshotAsync(new() { Path = path, FullPage = false, Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex FileName();
}
