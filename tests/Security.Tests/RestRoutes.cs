using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ParPlatform.Security.Tests;

/// <summary>One operation of a service's OpenAPI document, as the gateway exposes it.</summary>
public sealed record RestRoute(string Service, string Method, string Template, JsonElement Operation, JsonElement Components)
{
    public bool IsWrite => Method is "POST" or "PUT" or "DELETE" or "PATCH";

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>A concrete request for a route: its path parameters and body filled with real quang-ninh ids or random ones.</summary>
public sealed record RestCall(RestRoute Route, string Url, string? BodyText, string? MediaType, byte[]? BodyBytes)
{
    /// <summary>Whether a path parameter names a real quang-ninh resource.</summary>
    public bool NamesResource { get; init; }

    public string RequestText => Url + "\n" + BodyText;

    public HttpRequestMessage Message(string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(Route.Method), Url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (BodyBytes is not null)
        {
            request.Content = new ByteArrayContent(BodyBytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType!);
        }
        return request;
    }
}

public static class RestRoutes
{
    public static readonly string[] Services = ["criteria", "submission", "evidence-storage", "survey", "ranking", "identity"];

    public static async Task<IReadOnlyList<RestRoute>> LoadAsync(HttpClient gateway)
    {
        var routes = new List<RestRoute>();
        foreach (var service in Services)
        {
            using var response = await gateway.GetAsync($"/api/{service}/openapi/v1.json");
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = document.RootElement.Clone();
            var components = root.TryGetProperty("components", out var c) ? c : default;
            foreach (var path in root.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
                {
                    routes.Add(new RestRoute(service, operation.Name.ToUpperInvariant(), path.Name, operation.Value, components));
                }
            }
        }
        return routes;
    }

    /// <summary>The gateway's public paths (gateway/appsettings.json, Gateway:PublicPaths), matched the gateway's way.</summary>
    public static bool IsPublic(string path)
    {
        string[][] patterns = [["health"], ["alive"], ["api", "*", "info"], ["api", "*", "openapi"],
            ["api", "identity", "connect", "token"], ["api", "identity", ".well-known"], ["*", "GetServiceInfo"]];
        var segments = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return patterns.Any(pattern => pattern.Length <= segments.Length
            && pattern.Select((part, index) => part == "*" || string.Equals(part, segments[index], StringComparison.OrdinalIgnoreCase)).All(m => m));
    }

    /// <param name="real">Real quang-ninh ids; otherwise every such id replaced by a random one (the existence check).</param>
    public static RestCall Build(RestRoute route, Targets targets, bool real)
    {
        var ids = new IdSource(targets, real);
        var namesResource = false;
        var segments = route.Template.Split('/');
        for (var index = 0; index < segments.Length; index++)
        {
            var segment = segments[index];
            var open = segment.IndexOf('{');
            if (open < 0)
            {
                continue;
            }
            var name = segment[(open + 1)..segment.IndexOf('}')];
            var (value, isResource) = PathValue(route, name, index > 0 ? segments[index - 1] : "", ids);
            namesResource |= isResource;
            segments[index] = segment[..open] + Uri.EscapeDataString(value) + segment[(segment.IndexOf('}') + 1)..];
        }
        var url = string.Join('/', segments);
        var query = new List<string>();
        if (route.Operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                if (QueryValue(name, ids) is { } value)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }
        }
        if (route.Method == "POST" && route.Template.EndsWith("/evidence", StringComparison.Ordinal) && query.Count == 0)
        {
            query.Add($"fileName=bao-mat.pdf&title=probe&documentNumber=1&issuer=probe&issueDate=2026-01-15");
        }
        if (query.Count > 0)
        {
            url += "?" + string.Join('&', query);
        }

        var (text, media, bytes) = Body(route, ids);
        return new RestCall(route, url, text, media, bytes) { NamesResource = namesResource };
    }

    private static (string Value, bool IsResource) PathValue(RestRoute route, string name, string previous, IdSource ids)
    {
        var t = ids.Targets;
        return (route.Service, name, previous) switch
        {
            ("ranking", "roundId", _) when route.Template.Contains("/publications/{version}/units/", StringComparison.Ordinal)
                => (ids.Id(Targets.DepartmentsRound2024), true), // the fixture's round publishes its units as excluded
            (_, "roundId", _) or ("criteria", "id", "rounds") => (ids.Id(t.Round), true),
            (_, "unitId", _) or ("criteria", "id", "units") => (ids.Id(Targets.SoTuPhap), true),
            ("criteria", "id", "sets") => (ids.Id(t.DraftSet), true),
            ("submission", "id", _) => (ids.Id(t.Assessment), true),
            ("evidence-storage", "id", _) => (ids.Id(t.Evidence), true),
            ("survey", "id", _) or (_, "questionnaireId", _) => (ids.Id(t.Questionnaire), true),
            (_, "responseId", _) => (ids.Real ? t.ResponseId : "SECRANDOM" + Guid.NewGuid().ToString("N")[..8], true),
            ("identity", "tenant", "tenants") => (ids.Real ? Targets.Tenant : "khong-co-" + Guid.NewGuid().ToString("N")[..8], true),
            (_, "code", _) => (t.ItemCode, false),
            (_, "batch", _) => ("security-batch", false),
            (_, "version", _) => ("latest", false),
            (_, "format", _) => ("csv", false),
            _ => (Guid.NewGuid().ToString(), false),
        };
    }

    private static string? QueryValue(string name, IdSource ids) => name switch
    {
        "from" => ids.Id(Targets.DepartmentSet2024),
        "roundId" => ids.Id(ids.Targets.Round),
        "unitId" => ids.Id(Targets.SoTuPhap),
        "tenant" => Targets.Tenant, // only the Ministry may look at another tenant's registry
        "year" => "2026",
        "fileName" => "bao-mat.pdf",
        "title" => "probe",
        "documentNumber" => "1",
        "issuer" => "probe",
        "issueDate" => "2026-01-15",
        "direction" => "forward",
        "top" => "5",
        _ => null,
    };

    private static (string?, string?, byte[]?) Body(RestRoute route, IdSource ids)
    {
        if (route.Method is "GET" or "DELETE")
        {
            return (null, null, null);
        }
        if (route.Template.EndsWith("/evidence/form", StringComparison.Ordinal))
        {
            const string boundary = "security-boundary";
            var form = $"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nprobe\r\n--{boundary}\r\n" +
                       $"Content-Disposition: form-data; name=\"file\"; filename=\"bao-mat.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
                       "%PDF-1.4\n%%EOF\n\r\n" + $"--{boundary}--\r\n";
            return (form, $"multipart/form-data; boundary={boundary}", Encoding.UTF8.GetBytes(form));
        }
        if (route.Template.EndsWith("/evidence", StringComparison.Ordinal))
        {
            const string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
            return (pdf, "application/pdf", Encoding.UTF8.GetBytes(pdf));
        }
        if (!route.Operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
        {
            return (null, null, null);
        }
        var media = content.EnumerateObject().Select(m => m.Name).ToList();
        if (media.Contains("application/json"))
        {
            var schema = content.GetProperty("application/json").GetProperty("schema");
            var json = Sample(schema, route.Components, ids, "", 0)?.ToJsonString() ?? "{}";
            return (json, "application/json", Encoding.UTF8.GetBytes(json));
        }
        if (media.Any(m => m.Contains("csv", StringComparison.Ordinal)))
        {
            var csv = $"response_id,unit_id,Q1\nSECCSV{Guid.NewGuid():N},{ids.Id(Targets.SoTuPhap)},A\n";
            return (csv, "text/csv", Encoding.UTF8.GetBytes(csv));
        }
        // xlsx and other streams: a body that is not a valid workbook.
        const string junk = "PK\u0003\u0004 not really a workbook";
        return (junk, media.FirstOrDefault() ?? "application/octet-stream", Encoding.UTF8.GetBytes(junk));
    }

    /// <summary>A sample value for a JSON schema; id-like properties get quang-ninh ids (or random ones).</summary>
    private static JsonNode? Sample(JsonElement schema, JsonElement components, IdSource ids, string property, int depth)
    {
        if (depth > 8)
        {
            return null;
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/').Last();
            return components.ValueKind == JsonValueKind.Object && components.TryGetProperty("schemas", out var schemas) && schemas.TryGetProperty(name, out var target)
                ? Sample(target, components, ids, property, depth + 1)
                : null;
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                var option = options.EnumerateArray().FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"));
                return option.ValueKind == JsonValueKind.Undefined ? null : Sample(option, components, ids, property, depth + 1);
            }
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            var first = values.EnumerateArray().FirstOrDefault(v => v.ValueKind != JsonValueKind.Null);
            return first.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(first.GetRawText());
        }
        var type = TypeOf(schema);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var lower = property.ToLowerInvariant();
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var p in properties.EnumerateObject())
                    {
                        obj[p.Name] = Sample(p.Value, components, ids, p.Name, depth + 1);
                    }
                }
                return obj;
            case "array":
                var items = schema.TryGetProperty("items", out var itemSchema) ? itemSchema : default;
                if (lower is "unitids" or "fromunitids" or "tounitids")
                {
                    return new JsonArray(ids.Id(Targets.SoTuPhap), ids.Id(Targets.SoNoiVu));
                }
                if (lower == "evidenceids")
                {
                    return new JsonArray(ids.Id(ids.Targets.Evidence));
                }
                if (lower is "itemcodes" or "codes")
                {
                    return new JsonArray(ids.Targets.ItemCode);
                }
                var element = items.ValueKind == JsonValueKind.Object ? Sample(items, components, ids, property, depth + 1) : null;
                return element is null ? new JsonArray() : new JsonArray(element);
            case "string" when format == "uuid" || lower.EndsWith("id", StringComparison.Ordinal):
                return lower switch
                {
                    "roundid" => ids.Id(ids.Targets.Round),
                    "previousroundid" => ids.Id(Targets.DepartmentsRound2024),
                    "unitid" or "parentid" => ids.Id(Targets.SoTuPhap),
                    "criteriasetid" => ids.Id(Targets.DepartmentSet2025),
                    "questionnaireid" => ids.Id(ids.Targets.Questionnaire),
                    "responseid" => "SECPROBE" + Guid.NewGuid().ToString("N"),
                    _ => format == "uuid" ? Guid.NewGuid().ToString() : "probe",
                };
            case "string" when format == "date":
                return "2026-01-01";
            case "string" when format == "date-time":
                return DateTimeOffset.UtcNow.AddDays(1).ToString("O");
            case "string":
                return lower switch
                {
                    "reason" => "security probe",
                    "respondentgroup" => "citizens",
                    "rankinggroup" => "sec-probe",
                    _ => "probe",
                };
            case "integer":
                return lower == "year" ? 2026 : 1;
            case "number":
                return 1;
            case "boolean":
                return false;
            default:
                return null;
        }
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        }
        if (type.ValueKind == JsonValueKind.Array)
        {
            return type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null");
        }
        var text = type.GetString();
        // Minimal APIs describe numbers as "integer|string" patterns in 3.1; prefer the numeric reading.
        return text;
    }

    /// <summary>Real quang-ninh ids, or one random stand-in per real id (consistent within a request).</summary>
    private sealed class IdSource(Targets targets, bool real)
    {
        private readonly Dictionary<Guid, Guid> _random = [];

        public Targets Targets => targets;
        public bool Real => real;

        public string Id(Guid id)
        {
            if (real)
            {
                return id.ToString();
            }
            if (!_random.TryGetValue(id, out var stand))
            {
                _random[id] = stand = Guid.NewGuid();
            }
            return stand.ToString();
        }
    }
}
