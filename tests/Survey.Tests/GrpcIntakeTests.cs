using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using ParPlatform.Contracts.Survey.V1;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Tests;

[Collection(SurveyCollection.Name)]
public sealed class GrpcIntakeTests(SurveyFixture fixture)
{
    private static readonly Guid Unit = TestCriteria.Units[2];

    [Fact]
    public async Task Client_stream_dedupes_against_the_other_paths_and_refuses_conflicts()
    {
        var rest = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("grpc-1-rest", Unit, "B", "B"), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        var restReceipt = (await rest.Content.ReadFromJsonAsync<Intake.ItemResult>(SurveyFixture.Json))!.ReceiptId;

        var client = new SurveyService.SurveyServiceClient(fixture.Survey.CreateGrpcChannel());
        using var call = client.SubmitResponses(fixture.OperatorCaller.GrpcHeaders());
        await call.RequestStream.WriteAsync(Request("grpc-1-rest", "B", "B"));      // same as over REST: duplicate
        await call.RequestStream.WriteAsync(Request("grpc-1-new", "A", "C", "6.5")); // new
        await call.RequestStream.WriteAsync(Request("grpc-1-new", "A", "C", "6.50")); // the same number: duplicate
        await call.RequestStream.WriteAsync(Request("grpc-1-rest", "D", "D"));      // same id, other content: conflict
        await call.RequestStream.WriteAsync(Request("grpc-1-bad", "A", "A", "ten")); // not a number
        await call.RequestStream.CompleteAsync();
        var reply = await call;

        Assert.Equal((1, 2, 2), (reply.Accepted, reply.Duplicates, reply.Rejected));
        Assert.Equal(
            [ItemOutcome.Duplicate, ItemOutcome.Accepted, ItemOutcome.Duplicate, ItemOutcome.Rejected, ItemOutcome.Rejected],
            reply.Items.Select(item => item.Outcome));
        Assert.Equal(restReceipt.ToString(), reply.Items[0].ReceiptId);
        Assert.Equal(Reasons.Conflict, reply.Items[3].Reason);
        Assert.Equal(Reasons.AnswerOutsideScale, reply.Items[4].Reason);

        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync("grpc-1-") == 2);
        await fixture.DrainedAsync();
        Assert.Equal(["grpc-1-new", "grpc-1-rest"], await fixture.StoredIdsAsync("grpc-1-"));
    }

    [Fact]
    public async Task A_viewer_may_not_stream_responses()
    {
        var client = new SurveyService.SurveyServiceClient(fixture.Survey.CreateGrpcChannel());
        var viewer = new TestCaller("viewer-1", PlatformRoles.Viewer, TestCriteria.Tenant);
        using var call = client.SubmitResponses(viewer.GrpcHeaders());
        await call.RequestStream.CompleteAsync();
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
    }

    private SubmitResponseRequest Request(string id, string q1, string q2, string? q3 = null)
    {
        var request = new SubmitResponseRequest { ResponseId = id, QuestionnaireId = fixture.Citizens.ToString(), UnitId = Unit.ToString() };
        request.Answers.Add(new Answer { Question = "Q1", Option = q1 });
        request.Answers.Add(new Answer { Question = "Q2", Option = q2 });
        if (q3 is not null)
        {
            request.Answers.Add(new Answer { Question = "Q3", Value = q3 });
        }
        return request;
    }
}
