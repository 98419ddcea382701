using System.Globalization;
using ParPlatform.Web.Platform;

// The console's texts and numbers follow the current culture: tests switch it, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ParPlatform.Web.Components.Tests;

/// <summary>A bUnit context with the console's culture (vi-VN unless the test asks for English).</summary>
public abstract class ConsoleComponentTest : BunitContext
{
    protected ConsoleComponentTest(bool english = false)
    {
        var culture = english ? Ui.English : Ui.Vietnamese;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }
}
