using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ParPlatform.Web.Platform;

/// <summary>
/// A refusal from a service, as its ProblemDetails says it (<c>urn:par:&lt;service&gt;:&lt;code&gt;</c>, a vi-VN
/// title, an English detail). Pages show <see cref="Message"/>: what was refused in words, never a raw error.
/// </summary>
public sealed class ApiProblem(HttpStatusCode status, string? type, string? title, string? detail, JsonElement body)
    : Exception(detail ?? title ?? status.ToString())
{
    public HttpStatusCode Status { get; } = status;
    public string? Type { get; } = type;
    public string? Title { get; } = title;
    public string? Detail { get; } = detail;
    /// <summary>The whole answer: extensions such as <c>errors</c>, <c>items</c> or <c>current</c> live here.</summary>
    public JsonElement Body { get; } = body;

    /// <summary>The code after the service's prefix: <c>self-assessment-closed</c>, <c>item-changed</c>, ...</summary>
    public string Code => Type?[(Type.LastIndexOf(':') + 1)..] ?? "";

    /// <summary>What the page says: the service's own title (vi-VN), else a sentence for the status.</summary>
    public new string Message => Ui.IsVietnamese ? Title ?? ForStatus(Status) : Detail ?? Title ?? ForStatus(Status);

    /// <summary>Validation errors by member (<c>errors</c> of a 400), when the service sent them.</summary>
    public IEnumerable<string> Errors =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? errors.EnumerateObject().SelectMany(member => member.Value.ValueKind == JsonValueKind.Array
                ? member.Value.EnumerateArray().Select(message => $"{member.Name}: {message}")
                : [$"{member.Name}: {member.Value}"])
            : [];

    /// <summary>The user's session is over (signed out elsewhere, account disabled, console restarted): a 401 like the
    /// services' own, so pages show it as any refusal, with a way to sign in again.</summary>
    public static ApiProblem SessionEnded() => new(HttpStatusCode.Unauthorized, "urn:par:web:session-ended",
        "Phiên làm việc đã kết thúc: hãy đăng nhập lại", "The console session has ended: sign in again.", default);

    /// <summary>The platform did not answer at all (connection refused, timed out): a 503 as the gateway gives for a
    /// service that is down, so pages say "try again" in words.</summary>
    public static ApiProblem Unreachable(Exception failure) => new(HttpStatusCode.ServiceUnavailable, "urn:par:web:platform-unreachable",
        "Không kết nối được tới hệ thống: hãy thử lại sau ít phút", $"The platform did not answer: {failure.Message}", default);

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        JsonElement body = default;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (JsonException)
        {
        }
        string? Member(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
        return new ApiProblem(response.StatusCode, Member("type"), Member("title"), Member("detail"), body);
    }

    private static string ForStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => Ui.T("Phiên làm việc đã hết hạn: hãy đăng nhập lại.", "Your session has ended: sign in again."),
        HttpStatusCode.Forbidden => Ui.T("Tài khoản của bạn không có quyền thực hiện việc này.", "Your account may not do this."),
        HttpStatusCode.NotFound => Ui.T("Không tìm thấy dữ liệu.", "Not found."),
        HttpStatusCode.TooManyRequests => Ui.T("Hệ thống đang bận: hãy thử lại sau ít phút.", "The platform is busy: try again in a minute."),
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
            => Ui.T("Một dịch vụ của hệ thống tạm thời không trả lời: hãy thử lại.", "A platform service is not answering: try again."),
        _ => Ui.T("Hệ thống không thực hiện được yêu cầu.", "The platform could not do this."),
    };
}
