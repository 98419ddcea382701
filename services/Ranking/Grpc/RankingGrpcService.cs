using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Ranking.V1;
using ParPlatform.Ranking.Live;
using ParPlatform.Ranking.Apis;

namespace ParPlatform.Ranking.Grpc;

/// <summary>Published snapshots for ministry systems; live figures are never served here.</summary>
internal sealed class RankingGrpcService(ServiceInfoSource info, RankingTables tables) : RankingService.RankingServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());

    [Authorize]
    public override async Task<PublishedRanking> GetPublishedRanking(GetPublishedRankingRequest request, ServerCallContext context)
    {
        var published = await LoadAsync(request, context);
        var table = published.Table;
        return new PublishedRanking
        {
            RoundId = table.RoundId.ToString(), Version = published.Version, TenantId = table.TenantId,
            RankingGroup = table.RankingGroup, Year = table.Year, RoundName = table.RoundName,
            PublishedAt = Timestamp.FromDateTimeOffset(published.PublishedAt), Statistics = ToMessage(table.Statistics),
        };
    }

    [Authorize]
    public override async Task StreamPublishedUnits(
        GetPublishedRankingRequest request, IServerStreamWriter<RankedUnit> responseStream, ServerCallContext context)
    {
        var published = await LoadAsync(request, context);
        foreach (var row in published.Table.Rows)
        {
            await responseStream.WriteAsync(ToMessage(row), context.CancellationToken);
        }
    }

    private async Task<Data.PublishedSnapshot> LoadAsync(GetPublishedRankingRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.RoundId, out var roundId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "round_id must be a UUID."));
        }
        var published = await tables.PublishedAsync(roundId, request.Version > 0 ? request.Version : null)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Round {roundId} has no published ranking (version {request.Version})."));
        if (!Access.CanReadPublished(Caller.Of(context.GetHttpContext()), published.Table.TenantId))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The ranking belongs to another tenant."));
        }
        return published;
    }

    private static string Text(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture); // no trailing zeros

    private static GroupStatistics ToMessage(Scoring.GroupStatistics statistics)
    {
        var message = new GroupStatistics
        {
            Count = statistics.Count, AveragePercent = Text(statistics.AveragePercent), MedianPercent = Text(statistics.MedianPercent),
            AveragePoints = Text(statistics.AveragePoints), Highest = ToMessage(statistics.Highest), Lowest = ToMessage(statistics.Lowest),
        };
        message.Bands.AddRange(statistics.Bands.Select(band => new BandCount { Label = band.Label, Count = band.Count }));
        message.FieldAverages.AddRange(statistics.FieldAverages.Select(ToMessage));
        message.StrongestFields.AddRange(statistics.StrongestFields.Select(ToMessage));
        message.WeakestFields.AddRange(statistics.WeakestFields.Select(ToMessage));
        return message;
    }

    private static UnitFigure? ToMessage(Scoring.UnitFigure? figure) => figure is null ? null
        : new() { UnitId = figure.UnitId.ToString(), UnitName = figure.UnitName, Percent = Text(figure.Percent) };

    private static FieldAverage ToMessage(Scoring.FieldAverage field) =>
        new() { Code = field.Code, Name = field.Name, AveragePercent = Text(field.AveragePercent) };

    private static RankedUnit ToMessage(Scoring.GroupRow row)
    {
        var result = row.Result;
        var message = new RankedUnit
        {
            Rank = row.Rank, UnitId = result.UnitId.ToString(), UnitName = result.UnitName,
            TotalPoints = Text(result.TotalPoints), ApplicableMaxPoints = Text(result.ApplicableMaxPoints),
            IndexPercent = Text(result.IndexPercent), AppraisalPoints = Text(result.Appraisal.Points),
            AppraisalPercent = Text(result.Appraisal.Percent), SurveyPoints = Text(result.Survey.Points),
            SurveyPercent = Text(result.Survey.Percent), BonusPoints = Text(result.BonusPoints),
            PenaltyPoints = Text(result.PenaltyPoints), Band = result.Band ?? "",
        };
        message.Fields.AddRange(result.Fields.Select(field => new FieldScore
        {
            Code = field.Code, Name = field.Name, Points = Text(field.Points), MaxPoints = Text(field.MaxPoints), Percent = Text(field.Percent),
        }));
        if (row.Change is { } change)
        {
            message.Change = new YearOverYear
            {
                Basis = change.Basis, PointsChange = Text(change.PointsChange), PercentChange = Text(change.PercentChange),
                HasRankChange = change.RankChange.HasValue, RankChange = change.RankChange ?? 0,
            };
        }
        return message;
    }
}
