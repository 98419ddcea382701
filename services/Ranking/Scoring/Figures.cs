using System.Globalization;

namespace ParPlatform.Ranking.Scoring;

/// <summary>
/// The one rounding rule: figures are computed and stored unrounded; they are rounded half away from zero to two
/// decimals only where people see them, and ranking and classification compare that published figure, so two units
/// printed as "80,28%" share a rank and a unit printed as "80,00%" is never classed below an 80% band.
/// </summary>
public static class Figures
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>"79,88%".</summary>
    public static string Percent(decimal value) => Round(value).ToString("0.00", Vietnamese) + "%";

    /// <summary>"80,28".</summary>
    public static string Points(decimal value) => Round(value).ToString("0.00", Vietnamese);

    /// <summary>"+2,30" / "-1,05" / "0,00" for changes.</summary>
    public static string Change(decimal value) => (value > 0 ? "+" : "") + Points(value);
}
