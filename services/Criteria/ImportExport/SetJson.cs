using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.ImportExport;

/// <summary>
/// The JSON document of a set (schema in the service README): camelCase, enums as strings, decimals as JSON numbers,
/// defaults (false, 0 minimum, absent rule) left out so a file reads like the set and not like its storage.
/// </summary>
public static class SetJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        // Vietnamese stays readable in the file instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(CriteriaSetDefinition set) => JsonSerializer.Serialize(set, Options);

    public static CriteriaSetDefinition Read(string json) =>
        Tree.Normalize(JsonSerializer.Deserialize<CriteriaSetDefinition>(json, Options)
            ?? throw new JsonException("The document is empty."));
}
