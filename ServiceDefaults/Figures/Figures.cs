using System.Globalization;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Figures;

/// <summary>
/// The one rounding rule: figures are computed and stored unrounded; they are rounded half away from zero only where
/// people and other systems see them (REST, gRPC, exports alike, in every service): percentages to 2 decimals, points
/// to the set's precision (the decimals of its score step, <see cref="DecimalsOf"/>), always with exactly that many
/// decimals ("75.00", "80.28"). Ranking and classification compare the published percentage, so two units printed as
/// "80,28%" share a rank and a unit printed as "80,00%" is never classed below an 80% band.
/// </summary>
public static class Figures
{
    public const int PercentDecimals = 2;
    public const int DefaultPointDecimals = 2;

    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static decimal Round(decimal value) => Math.Round(value, PercentDecimals, MidpointRounding.AwayFromZero);

    /// <summary>The figure as shown: rounded half away from zero, with exactly <paramref name="decimals"/> decimals (scale).</summary>
    /// <remarks>A sum takes the larger scale of its terms, so adding a zero of scale n to a value rounded to n decimals
    /// gives exactly n decimals (75 → 75.00).</remarks>
    public static decimal Shown(decimal value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero) + new decimal(0, 0, 0, false, (byte)decimals);

    /// <summary>"80.28" / "75.00": the invariant text of a shown figure (gRPC).</summary>
    public static string Text(decimal value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>Decimals of a score step ("0.25" → 2, "0.5" → 1, "1" → 0); <see cref="DefaultPointDecimals"/> without one.</summary>
    public static int DecimalsOf(decimal? step)
    {
        if (step is not > 0)
        {
            return DefaultPointDecimals;
        }
        var text = step.Value.ToString("G29", CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.');
        return dot < 0 ? 0 : text.Length - dot - 1;
    }

    /// <summary>"79,88%".</summary>
    public static string Percent(decimal value) => Round(value).ToString("0.00", Vietnamese) + "%";

    /// <summary>"80,28" (with the set's decimals).</summary>
    public static string Points(decimal value, int decimals = DefaultPointDecimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, Vietnamese);

    /// <summary>"+2,30" / "-1,05" / "0,00" for changes.</summary>
    public static string Change(decimal value, int decimals = DefaultPointDecimals) => (value > 0 ? "+" : "") + Points(value, decimals);
}
