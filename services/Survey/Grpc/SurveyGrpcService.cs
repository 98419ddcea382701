using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Survey.V1;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;
using Proto = ParPlatform.Contracts.Survey.V1;

namespace ParPlatform.Survey.Grpc;

internal sealed class SurveyGrpcService(ServiceInfoSource info, IntakeService intake, ScoreData scores, CriteriaClient criteria) : SurveyService.SurveyServiceBase
{
    public const string Channel = "grpc";
    private const int ChunkSize = 500;

    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());

    /// <summary>Partners stream responses; they go through intake in chunks as they arrive, not buffered whole.</summary>
    [Authorize]
    public override async Task<SubmitResponsesReply> SubmitResponses(
        IAsyncStreamReader<SubmitResponseRequest> requestStream, ServerCallContext context)
    {
        var caller = Caller.Of(context.GetHttpContext());
        if (!caller.HasRole(ResponsesApi.Submitters))
        {
            throw SurveyProblems.Forbidden("Your role may not submit responses.").ToRpcException();
        }
        var reply = new SubmitResponsesReply();
        var chunk = new List<ResponseInput>(ChunkSize);
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            chunk.Add(ToInput(request));
            if (chunk.Count == ChunkSize)
            {
                await SubmitAsync(caller.TenantId, chunk, reply, context.CancellationToken);
                chunk.Clear();
            }
        }
        await SubmitAsync(caller.TenantId, chunk, reply, context.CancellationToken);
        return reply;
    }

    [Authorize]
    public override async Task<Proto.UnitScores> GetUnitScores(GetUnitScoresRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context.GetHttpContext());
        if (!Guid.TryParse(request.RoundId, out var roundId) || !Guid.TryParse(request.UnitId, out var unitId))
        {
            throw SurveyProblems.InvalidArgument.With("round_id and unit_id must be UUIDs.").ToRpcException();
        }
        var scope = await ScoreAccess.ScopeAsync(caller, roundId, unitId, criteria, context.CancellationToken);
        if (scope.Refused)
        {
            throw ScoreAccess.Refusal(scope).ToRpcException();
        }
        var found = (await scores.GetAsync(scope.TenantId, roundId, scope.UnitId, context.CancellationToken))
            .SingleOrDefault() ?? throw SurveyProblems.NotFound("Survey responses of this unit").ToRpcException();
        var reply = new Proto.UnitScores { RoundId = found.RoundId.ToString(), UnitId = found.UnitId.ToString(), Sequence = found.Sequence };
        reply.Items.AddRange(found.Items.Select(item =>
        {
            var score = new SubCriterionScore
            {
                SubCriterionCode = item.SubCriterionCode, MaxPoints = Text(item.MaxPoints), Points = Text(item.Points),
                MeanScore = Text(item.MeanScore), SampleSize = item.SampleSize, BelowMinimumSample = item.BelowMinimumSample,
            };
            score.Groups.AddRange(item.Groups.Select(group => new GroupScore
            {
                RespondentGroup = group.RespondentGroup, QuestionnaireId = group.QuestionnaireId.ToString(), Weight = Text(group.Weight),
                Responses = group.Responses, Answers = group.Answers, MeanScore = Text(group.MeanScore),
                BelowMinimumSample = group.BelowMinimumSample,
            }));
            return score;
        }));
        return reply;
    }

    private async Task SubmitAsync(string tenantId, List<ResponseInput> chunk, SubmitResponsesReply reply, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }
        IReadOnlyList<Intake.ItemResult> results;
        try
        {
            results = await intake.SubmitAsync(tenantId, chunk, Channel, cancellationToken);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or RpcException))
        {
            // Earlier chunks stay accepted; the partner resends the whole stream and gets duplicates for those.
            throw SurveyProblems.IntakeUnavailable.With("Responses could not be made durable; resend with the same ids.").ToRpcException();
        }
        foreach (var result in results)
        {
            reply.Items.Add(new Proto.ItemResult
            {
                ResponseId = result.ResponseId ?? "", ReceiptId = result.ReceiptId?.ToString() ?? "",
                Reason = result.Reason ?? "", Detail = result.Detail ?? "",
                Outcome = result.Outcome switch
                {
                    Outcomes.Accepted => ItemOutcome.Accepted,
                    Outcomes.Duplicate => ItemOutcome.Duplicate,
                    _ => ItemOutcome.Rejected,
                },
            });
        }
        reply.Accepted += results.Count(r => r.Outcome == Outcomes.Accepted);
        reply.Duplicates += results.Count(r => r.Outcome == Outcomes.Duplicate);
        reply.Rejected += results.Count(r => r.Outcome == Outcomes.Rejected);
    }

    private static ResponseInput ToInput(SubmitResponseRequest request) => new(
        request.ResponseId,
        Guid.TryParse(request.QuestionnaireId, out var questionnaireId) ? questionnaireId : Guid.Empty,
        Guid.TryParse(request.UnitId, out var unitId) ? unitId : Guid.Empty,
        request.Answers.Select(answer => new AnswerInput(
            answer.Question,
            answer.Option.Length > 0 ? answer.Option : null,
            // A value that is not a number becomes one no scale contains, so it is refused as outside the scale.
            decimal.TryParse(answer.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
                : answer.Value.Length > 0 ? decimal.MinValue : null)).ToList(),
        request.Profile);

    // Without trailing zeros and never in exponent notation: "1.5", "0.5666666666666666666666666667".
    private static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
