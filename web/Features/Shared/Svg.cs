using System.Globalization;

namespace ParPlatform.Web.Features.Shared;

/// <summary>Numbers inside SVG markup (lengths, coordinates): always with a decimal point, whatever the page's culture.
/// Razor writes a decimal in vi-VN as "235,5", which is no length, and the bar disappears.</summary>
public static class Svg
{
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
