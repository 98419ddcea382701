using System.Text.Json;
using System.Text.Json.Serialization;

namespace ParPlatform.Ranking.Data;

/// <summary>How results are stored in jsonb columns: the same shape the API returns, enums by name.</summary>
internal static class RankingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
