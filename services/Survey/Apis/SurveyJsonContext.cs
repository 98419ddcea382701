using System.Text.Json;
using System.Text.Json.Serialization;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

/// <summary>
/// Compile-time JSON metadata for the intake bodies, the hottest JSON in the service. Registered ahead of the
/// reflection resolver in the Minimal API options, whose settings (web defaults: camelCase, case-insensitive reading)
/// still decide names and number handling, so the wire format and the 400 for malformed input stay as they were.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ResponseInput))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(ItemResult))]
internal sealed partial class SurveyJsonContext : JsonSerializerContext;
