using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Ranking.V1;
using ParPlatform.Ranking.Apis;
using ParPlatform.Ranking.Live;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.ServiceDefaults.Identity;

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
            PublishedAt = Timestamp.FromDateTimeOffset(published.PublishedAt),
            Statistics = ToMessage(table.Statistics, new Shape(table.PointDecimals)),
            PointDecimals = table.PointDecimals, EarlyPublicationReason = published.EarlyPublication?.Reason ?? "",
            Excluded =
            {
                (table.Excluded ?? []).Select(unit => new ExcludedUnit
                {
                    UnitId = unit.UnitId.ToString(), UnitCode = unit.UnitCode ?? "", UnitName = unit.UnitName, Reason = unit.Reason,
                }),
            },
        };
    }

    [Authorize]
    public override async Task<ListPublicationsReply> ListPublications(ListPublicationsRequest request, ServerCallContext context)
    {
        if (Access.PublicationsTenant(Caller.Of(context.GetHttpContext()), request.TenantId) is not { } scope)
        {
            throw RankingProblems.Forbidden("list another tenant's publications").ToRpcException();
        }
        var listed = await tables.ListPublishedAsync(request.Year > 0 ? request.Year : null, scope.Tenant,
            string.IsNullOrWhiteSpace(request.RankingGroup) ? null : request.RankingGroup, context.CancellationToken);
        return new ListPublicationsReply
        {
            Publications =
            {
                listed.Select(publication => new PublicationSummary
                {
                    RoundId = publication.RoundId.ToString(), TenantId = publication.TenantId, RankingGroup = publication.RankingGroup,
                    Year = publication.Year, RoundName = publication.RoundName, LatestVersion = publication.LatestVersion,
                    PublishedAt = Timestamp.FromDateTimeOffset(publication.PublishedAt), Versions = publication.Versions,
                }),
            },
        };
    }

    [Authorize]
    public override async Task StreamPublishedUnits(
        GetPublishedRankingRequest request, IServerStreamWriter<RankedUnit> responseStream, ServerCallContext context)
    {
        var published = await LoadAsync(request, context);
        var shape = new Shape(published.Table.PointDecimals);
        foreach (var row in published.Table.Rows)
        {
            await responseStream.WriteAsync(ToMessage(row, shape), context.CancellationToken);
        }
    }

    private async Task<Data.PublishedSnapshot> LoadAsync(GetPublishedRankingRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.RoundId, out var roundId))
        {
            throw RankingProblems.InvalidArgument.With("round_id must be a UUID.").ToRpcException();
        }
        var published = await tables.PublishedAsync(roundId, request.Version > 0 ? request.Version : null, null, context.CancellationToken)
            ?? throw RankingProblems.NotPublished(roundId, request.Version > 0 ? request.Version.ToString() : "latest").ToRpcException();
        if (!Access.CanReadPublished(Caller.Of(context.GetHttpContext()), published.Table.TenantId))
        {
            throw RankingProblems.Forbidden("read this tenant's rankings").ToRpcException();
        }
        return published;
    }

    /// <summary>The figures' shape (<see cref="Figures"/>): the same as over REST and in the exports.</summary>
    private sealed record Shape(int PointDecimals)
    {
        public string Points(decimal value) => Figures.Text(value, PointDecimals);

        public string Percent(decimal value) => Figures.Text(value, Figures.PercentDecimals);
    }

    private static GroupStatistics ToMessage(Scoring.GroupStatistics statistics, Shape shape)
    {
        var message = new GroupStatistics
        {
            Count = statistics.Count, AveragePercent = shape.Percent(statistics.AveragePercent), MedianPercent = shape.Percent(statistics.MedianPercent),
            AveragePoints = shape.Points(statistics.AveragePoints), Highest = ToMessage(statistics.Highest, shape), Lowest = ToMessage(statistics.Lowest, shape),
        };
        message.Bands.AddRange(statistics.Bands.Select(band => new BandCount { Label = band.Label, Count = band.Count }));
        message.FieldAverages.AddRange(statistics.FieldAverages.Select(field => ToMessage(field, shape)));
        message.StrongestFields.AddRange(statistics.StrongestFields.Select(field => ToMessage(field, shape)));
        message.WeakestFields.AddRange(statistics.WeakestFields.Select(field => ToMessage(field, shape)));
        return message;
    }

    private static UnitFigure? ToMessage(Scoring.UnitFigure? figure, Shape shape) => figure is null ? null
        : new() { UnitId = figure.UnitId.ToString(), UnitName = figure.UnitName, Percent = shape.Percent(figure.Percent) };

    private static FieldAverage ToMessage(Scoring.FieldAverage field, Shape shape) =>
        new() { Code = field.Code, Name = field.Name, AveragePercent = shape.Percent(field.AveragePercent) };

    private static RankedUnit ToMessage(Scoring.GroupRow row, Shape shape)
    {
        var result = row.Result;
        var message = new RankedUnit
        {
            Rank = row.Rank, UnitId = result.UnitId.ToString(), UnitName = result.UnitName, UnitCode = row.UnitCode ?? "",
            TotalPoints = shape.Points(result.TotalPoints), ApplicableMaxPoints = shape.Points(result.ApplicableMaxPoints),
            IndexPercent = shape.Percent(result.IndexPercent), AppraisalPoints = shape.Points(result.Appraisal.Points),
            AppraisalPercent = shape.Percent(result.Appraisal.Percent), SurveyPoints = shape.Points(result.Survey.Points),
            SurveyPercent = shape.Percent(result.Survey.Percent), BonusPoints = shape.Points(result.BonusPoints),
            PenaltyPoints = shape.Points(result.PenaltyPoints), Band = result.Band ?? "",
        };
        message.Missing.AddRange(row.Missing ?? []);
        message.Fields.AddRange(result.Fields.Select(field => new FieldScore
        {
            Code = field.Code, Name = field.Name, Points = shape.Points(field.Points), MaxPoints = shape.Points(field.MaxPoints),
            Percent = shape.Percent(field.Percent),
        }));
        if (row.Change is { } change)
        {
            message.Change = new YearOverYear
            {
                Basis = change.Basis, PointsChange = shape.Points(change.PointsChange), PercentChange = shape.Percent(change.PercentChange),
                HasRankChange = change.RankChange.HasValue, RankChange = change.RankChange ?? 0,
            };
        }
        return message;
    }
}
