using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ParPlatform.ServiceDefaults.Figures;

/// <summary>
/// How figures leave over REST: the same shape as gRPC and the exports (<see cref="Figures"/>). Every decimal member
/// whose name speaks of a percentage ("percent", "indexPercent", "percentChange", ...) is shown with 2 decimals; every
/// other decimal member is points, shown with the set's decimals. Done once here, for every answer type, so no
/// answer can carry an unrounded figure.
/// </summary>
public static class FigureJson
{
    private static readonly ConcurrentDictionary<int, JsonSerializerOptions> ByPointDecimals = new();

    /// <summary>The service's own JSON options (encoder, enums by name, ...) with the figures' shape added.</summary>
    public static JsonSerializerOptions For(JsonSerializerOptions service, int pointDecimals) => ByPointDecimals.GetOrAdd(pointDecimals, decimals =>
        new JsonSerializerOptions(service)
        {
            TypeInfoResolver = (service.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info => ShowFigures(info, decimals)),
        });

    public static JsonHttpResult<T> Json<T>(HttpContext http, T value, int pointDecimals, int statusCode = 200) =>
        TypedResults.Json(value,
            For(http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions, pointDecimals),
            statusCode: statusCode);

    private static void ShowFigures(JsonTypeInfo info, int pointDecimals)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (var property in info.Properties)
        {
            if (property.Get is not { } get || (property.PropertyType != typeof(decimal) && property.PropertyType != typeof(decimal?)))
            {
                continue;
            }
            var decimals = property.Name.Contains("percent", StringComparison.OrdinalIgnoreCase) ? Figures.PercentDecimals : pointDecimals;
            property.Get = owner => get(owner) is decimal value ? Figures.Shown(value, decimals) : null;
        }
    }
}
