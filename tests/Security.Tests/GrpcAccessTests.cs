using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Xunit.Abstractions;
using Contracts = ParPlatform.Contracts;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Every gRPC method of every service (from the generated descriptors) through the gateway's gRPC port, raw h2c with
/// one message frame filled with real quang-ninh ids, for every identity: the status <see cref="AccessTable"/> states,
/// with no message in a refusal.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class GrpcAccessTests(SecurityFixture platform, ITestOutputHelper output)
{
    public static readonly ServiceDescriptor[] Services =
    [
        Contracts.Criteria.V1.CriteriaService.Descriptor,
        Contracts.Submission.V1.SubmissionService.Descriptor,
        Contracts.Evidence.V1.EvidenceService.Descriptor,
        Contracts.Survey.V1.SurveyService.Descriptor,
        Contracts.Ranking.V1.RankingService.Descriptor,
    ];

    private const int Ok = 0, NotFound = 5, PermissionDenied = 7, Unauthenticated = 16;

    [Fact]
    public async Task Every_grpc_method_answers_each_identity_what_the_access_table_says()
    {
        var methods = Services.SelectMany(service => service.Methods).ToList();
        var identities = Identity.All(platform.Tokens);
        var violations = new Violations();
        output.WriteLine($"{methods.Count} gRPC methods, {identities.Count} identities");
        using var grpc = new HttpClient { BaseAddress = platform.App.GatewayGrpc, Timeout = TimeSpan.FromSeconds(60) };
        var names = methods.Select(method => $"{method.Service.FullName}/{method.Name}").ToList();
        var stale = AccessTable.Grpc.Keys.Except(names, StringComparer.Ordinal).ToList();
        var suggested = new List<string>();

        foreach (var method in methods)
        {
            var path = $"{method.Service.FullName}/{method.Name}";
            output.WriteLine($"  {path}");
            if (!AccessTable.Grpc.TryGetValue(path, out var line))
            {
                suggested.Add(await SuggestedRowAsync(grpc, method, identities));
                continue;
            }
            var row = AccessTable.Parse(path, line);
            var isPublic = row[(int)Column.Anonymous].IsAllowed;
            foreach (var identity in identities)
            {
                if (identity.TableColumn is { } column)
                {
                    var cell = row[(int)column];
                    if (!(cell.IsAllowed && IsWrite(method)))
                    {
                        await CheckCellAsync(grpc, method, path, identity, cell, violations);
                    }
                    continue;
                }
                if (isPublic)
                {
                    continue;
                }
                var (mustRefuse, markers) = identity.Kind switch
                {
                    IdentityKind.Incomplete => (true, platform.Targets.TenantMarkers),
                    // A write, a batch lookup and a listing that answer only what the caller may read: they must
                    // answer exactly what random ids get (and no marker of the tenant's data).
                    _ => (method.Name is not ("SubmitResponses" or "GetEvidenceMetadata" or "ListPublications"), platform.Targets.TenantMarkers),
                };
                var (code, payload, detail) = await CallAsync(grpc, method, identity.Token, real: true);
                violations.Counted(identity);
                var text = Encoding.UTF8.GetString(payload);
                var request = RequestText(method, real: true);
                var leaked = markers.Where(m => text.Contains(m, StringComparison.OrdinalIgnoreCase) && !request.Contains(m, StringComparison.OrdinalIgnoreCase)).ToList();
                var outcome = $"grpc-status {code} {detail}";
                if (mustRefuse && code is not (NotFound or PermissionDenied or Unauthenticated))
                {
                    violations.Add(path, identity, outcome, text, "expected PERMISSION_DENIED / NOT_FOUND / UNAUTHENTICATED");
                }
                else if (mustRefuse && payload.Length > 0)
                {
                    violations.Add(path, identity, outcome, text, "a refusal carries no message");
                }
                if (!mustRefuse && identity.Kind == IdentityKind.OtherTenant && code == Ok)
                {
                    // Another tenant's submission: the same answer whether or not the quang-ninh ids exist.
                    var (randomCode, randomPayload, _) = await CallAsync(grpc, method, identity.Token, real: false);
                    violations.Counted();
                    if (randomCode != code || Summary(method, payload) != Summary(method, randomPayload))
                    {
                        violations.Add(path, identity, $"{outcome}: {Summary(method, payload)}", $"random ids: {randomCode} {Summary(method, randomPayload)}",
                            "the answer reveals whether another tenant's resource exists");
                    }
                }
                if (leaked.Count > 0)
                {
                    violations.Add(path, identity, outcome, text, $"message contains {string.Join(", ", leaked.Take(3))}");
                }
            }
        }
        foreach (var (identity, count) in violations.PerIdentity.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {count,4} calls as {identity}");
        }
        Assert.True(suggested.Count == 0 && stale.Count == 0,
            (suggested.Count == 0 ? "" : $"{suggested.Count} gRPC methods have no row in AccessTable.Grpc (tests/Security.Tests/AccessTable.cs). " +
                "Add one line each; the platform answers today (? = a write, not made: state it):\n" +
                string.Join('\n', suggested.Select(row => "        " + row)) + "\n") +
            (stale.Count == 0 ? "" : $"Rows for methods the descriptors no longer have: {string.Join(", ", stale)}"));
        violations.AssertNone(output, "gRPC");
    }

    /// <summary>The one gRPC write; every other method reads (Get*, List*, Stream*, ResolveLineage).</summary>
    private static bool IsWrite(MethodDescriptor method) => method.Name.StartsWith("Submit", StringComparison.Ordinal);

    private async Task<string> SuggestedRowAsync(HttpClient grpc, MethodDescriptor method, IReadOnlyList<Identity> identities)
    {
        var cells = new List<string>();
        foreach (var column in Enum.GetValues<Column>())
        {
            if (IsWrite(method) && column != Column.Anonymous)
            {
                cells.Add("?");
                continue;
            }
            var (code, _, _) = await CallAsync(grpc, method, identities.First(i => i.TableColumn == column).Token, real: true);
            cells.Add(code == Ok ? "F" : code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return AccessTable.Line($"{method.Service.FullName}/{method.Name}", cells);
    }

    /// <summary>One cell of the table: the exact gRPC status an identity of a column must get.</summary>
    private async Task CheckCellAsync(HttpClient grpc, MethodDescriptor method, string path, Identity identity, Expected expected, Violations violations)
    {
        var (code, payload, detail) = await CallAsync(grpc, method, identity.Token, real: true);
        violations.Counted(identity);
        var text = Encoding.UTF8.GetString(payload);
        var request = RequestText(method, real: true);
        var ownUnit = identity.Unit == Targets.SoTuPhap.ToString();
        var leaked = platform.Targets.UnitMarkers.Where(m => text.Contains(m, StringComparison.OrdinalIgnoreCase) && !request.Contains(m, StringComparison.OrdinalIgnoreCase)).ToList();
        var outcome = $"grpc-status {code} {detail}";
        if (expected.IsAllowed)
        {
            if (code != Ok)
            {
                violations.Add(path, identity, outcome, text, $"the table says {expected}");
            }
            else if (expected.IsOwnUnitOnly && !ownUnit && leaked.Count > 0)
            {
                violations.Add(path, identity, outcome, text, $"own unit only, but the message contains {string.Join(", ", leaked.Take(3))}");
            }
        }
        else if (code != expected.Status)
        {
            violations.Add(path, identity, outcome, text, $"the table says {expected}");
        }
        else if (payload.Length > 0)
        {
            violations.Add(path, identity, outcome, text, "a refusal carries no message");
        }
    }

    /// <summary>The control: the same calls answer with the data for callers who may see it.</summary>
    [Theory]
    [InlineData("par.criteria.v1.CriteriaService", "GetRound", "qn.xem", "SECROUND")]
    [InlineData("par.criteria.v1.CriteriaService", "GetCriteriaSet", "qn.quantri", "SECSET")]
    [InlineData("par.criteria.v1.CriteriaService", "ListRoundUnits", "qn.tuphap.canbo", "20000000-0000-4000-8000-000000000012")]
    [InlineData("par.submission.v1.SubmissionService", "GetAssessment", "qn.tuphap.canbo", "20000000-0000-4000-8000-000000000012")]
    [InlineData("par.evidence.v1.EvidenceService", "GetEvidenceMetadata", "qn.thamdinh", "SECTITLE")]
    public async Task The_same_calls_answer_with_the_data_for_callers_who_may_see_it(string service, string name, string account, string marker)
    {
        using var grpc = new HttpClient { BaseAddress = platform.App.GatewayGrpc };
        var method = Services.Single(s => s.FullName == service).FindMethodByName(name);
        var (code, payload, detail) = await CallAsync(grpc, method, platform.Tokens.Of(account), real: true);
        Assert.True(code == Ok, $"{service}/{name} as {account}: {code} {detail}");
        Assert.Contains(marker, Encoding.UTF8.GetString(payload));
    }

    /// <summary>The reply of a write without its per-call ids: what could differ between real and random targets.</summary>
    private static string Summary(MethodDescriptor method, byte[] payload)
    {
        if (payload.Length < 5)
        {
            return "";
        }
        var message = method.OutputType.Parser.ParseFrom(payload.AsSpan(5).ToArray());
        if (message is Contracts.Survey.V1.SubmitResponsesReply reply)
        {
            return $"accepted {reply.Accepted} duplicates {reply.Duplicates} rejected {reply.Rejected} " +
                   string.Join(' ', reply.Items.Select(item => $"{item.Outcome}:{item.Reason}"));
        }
        return message.ToString()!;
    }

    private string RequestText(MethodDescriptor method, bool real) => Build(method, real).ToString()!;

    private IMessage Build(MethodDescriptor method, bool real)
    {
        var targets = platform.Targets;
        var random = new Dictionary<Guid, string>();
        string Id(Guid id) => real ? id.ToString() : random.TryGetValue(id, out var s) ? s : random[id] = Guid.NewGuid().ToString();
        var message = method.InputType.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in method.InputType.Fields.InDeclarationOrder())
        {
            object? value = field.Name switch
            {
                "set_id" => Id(targets.DraftSet),
                "round_id" => Id(targets.Round),
                "unit_id" => Id(Targets.SoTuPhap),
                "questionnaire_id" => Id(targets.Questionnaire),
                "response_id" => "SECGRPC" + Guid.NewGuid().ToString("N"),
                "ids" => Id(targets.Evidence),
                _ => null,
            };
            if (field.Name == "answers" && field.FieldType == FieldType.Message)
            {
                var answer = field.MessageType.Parser.ParseFrom(ByteString.Empty);
                field.MessageType.FindFieldByName("question")?.Accessor.SetValue(answer, "Q1");
                field.MessageType.FindFieldByName("option")?.Accessor.SetValue(answer, "A");
                ((IList)field.Accessor.GetValue(message)).Add(answer);
                continue;
            }
            if (value is null || field.FieldType != FieldType.String)
            {
                continue;
            }
            if (field.IsRepeated)
            {
                ((IList)field.Accessor.GetValue(message)).Add(value);
            }
            else
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private async Task<(int Status, byte[] Payload, string Detail)> CallAsync(HttpClient grpc, MethodDescriptor method, string? token, bool real)
    {
        var bytes = Build(method, real).ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{method.Service.FullName}/{method.Name}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame) { Headers = { ContentType = new("application/grpc") } },
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", $"Bearer {token}");
        }
        using var response = await grpc.SendAsync(request);
        var payload = await response.Content.ReadAsByteArrayAsync();
        // A gRPC client cannot read an HTTP 401/403 with a JSON body as a status (issue 11): that is a wrong answer,
        // reported as the negative HTTP status, not taken for UNAUTHENTICATED / PERMISSION_DENIED.
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (-(int)response.StatusCode, payload, $"HTTP {(int)response.StatusCode}");
        }
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        var status = int.TryParse(Header("grpc-status"), out var parsed) ? parsed : -1;
        return (status, payload, Uri.UnescapeDataString(Header("grpc-message") ?? ""));
    }
}
