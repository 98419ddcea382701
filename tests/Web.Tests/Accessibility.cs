using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace ParPlatform.Web.Tests;

/// <summary>axe-core scans (Deque.AxeCore.Playwright: the script is in the package and injected into the page, nothing is fetched).</summary>
public static class Accessibility
{
    /// <summary>WCAG 2.0 and 2.1, levels A and AA: the level Vietnamese public-sector sites are asked to meet.</summary>
    private static readonly List<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// Scans the page as it is now and fails listing each serious or critical violation (rule, help, the elements'
    /// selectors). Minor and moderate ones are not failures; they are in the result for whoever wants them.
    /// </summary>
    public static async Task<AxeResult> AssertNoSeriousViolationsAsync(IPage page, string name)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = Tags },
            ResultTypes = [ResultType.Violations],
        });
        var serious = result.Violations.Where(violation => violation.Impact is "serious" or "critical").ToList();
        if (serious.Count > 0)
        {
            var lines = serious.Select(violation =>
                $"  {violation.Id} ({violation.Impact}): {violation.Help} [{violation.HelpUrl}]{Environment.NewLine}" +
                string.Join(Environment.NewLine, violation.Nodes.Select(node => $"    at {node.Target}: {node.Html}")));
            throw new XunitException($"{name}: {serious.Count} serious or critical accessibility violation(s) at {page.Url}:{Environment.NewLine}"
                + string.Join(Environment.NewLine, lines));
        }
        return result;
    }
}
