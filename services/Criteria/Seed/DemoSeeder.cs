using Dapper;
using Npgsql;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Data;
using static ParPlatform.Criteria.Seed.SeedIds;

namespace ParPlatform.Criteria.Seed;

/// <summary>
/// Demo data for the AppHost (<c>Seed:Demo=true</c>): fixed ids, inserted only where missing, so restarts and several
/// replicas starting together leave exactly one copy.
/// </summary>
internal sealed class DemoSeeder(TenantDataSource dataSource, TimeProvider clock, ILogger<DemoSeeder> logger) : IHostedService
{
    private static readonly DateOnly Before = new(2020, 1, 1);
    private static readonly DateOnly Merger = new(2025, 7, 1);
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(3003)", transaction: transaction);
        var now = clock.GetUtcNow();

        await SetAsync(connection, transaction, NationalProvincialSkeleton, NationalTenant, DemoSets.NationalProvincialSkeleton(), publish: false, now);
        await SetAsync(connection, transaction, DepartmentSet2024, ProvinceTenant, DemoSets.Departments(2024), publish: true, now);
        await SetAsync(connection, transaction, DepartmentSet2025, ProvinceTenant, DemoSets.Departments(2025), publish: true, now, clonedFrom: DepartmentSet2024);
        await SetAsync(connection, transaction, DistrictSet2024, ProvinceTenant, DemoSets.Districts(2024), publish: true, now);

        foreach (var unit in Units())
        {
            await UnitData.InsertAsync(connection, unit, transaction);
        }
        // Databases seeded before province units named their tenant.
        await connection.ExecuteAsync(
            "UPDATE evaluated_units SET province_tenant_id = @ProvinceTenant WHERE id = @QuangNinh AND province_tenant_id IS NULL",
            new { ProvinceTenant, QuangNinh }, transaction);
        await UnitData.InsertLineageAsync(connection, transaction, new LineageEvent(
            BacNinhBacGiangMerger, NationalTenant, LineageKind.Merge, Merger, [BacNinhBefore2025, BacGiang], [BacNinhFrom2025],
            "Nghị quyết 202/2025/QH15: hợp nhất tỉnh Bắc Giang và tỉnh Bắc Ninh thành tỉnh Bắc Ninh"), now);
        await UnitData.InsertLineageAsync(connection, transaction, new LineageEvent(
            TienYenDissolution, ProvinceTenant, LineageKind.Split, Merger, [TienYenDistrict], [XaTienYen, XaDienXa, XaDongNgu, XaHaiLang],
            "Chính quyền hai cấp từ 1/7/2025: huyện Tiên Yên không còn, địa bàn chia cho các xã (minh họa)"), now);

        await RoundAsync(connection, transaction, new Round(DepartmentsRound2024, ProvinceTenant, 2024, "Chỉ số CCHC các sở, ban, ngành năm 2024",
            DepartmentSet2024, "departments", Windows(2024), null), [SoNoiVu, SoTuPhap, SoTaiChinh, SoXayDung, SoYTe, SoGiaoDuc], now);
        await RoundAsync(connection, transaction, new Round(DepartmentsRound2025, ProvinceTenant, 2025, "Chỉ số CCHC các sở, ban, ngành năm 2025",
            DepartmentSet2025, "departments", Windows(2025), DepartmentsRound2024), [SoNoiVu, SoTuPhap, SoTaiChinh, SoXayDung, SoYTe, SoGiaoDuc], now);
        await RoundAsync(connection, transaction, new Round(DistrictsRound2024, ProvinceTenant, 2024, "Chỉ số CCHC UBND cấp huyện năm 2024",
            DistrictSet2024, "districts", Windows(2024), null), [HaLong, CamPha, VanDon, TienYenDistrict], now);
        // This year's round, open now (self-assessment from a week ago for three weeks, then appraisal): what a unit
        // officer who opens the console of a freshly started demo finds waiting. Seeded once; its windows then stay.
        var thisYear = now.ToOffset(Vietnam).Year;
        if (thisYear > 2025)
        {
            await SetAsync(connection, transaction, DepartmentSetCurrentYear, ProvinceTenant, DemoSets.Departments(thisYear) with { Code = $"QN-SO-{thisYear}-DEMO" }, publish: true, now, clonedFrom: DepartmentSet2025);
            var opens = new DateTimeOffset(now.ToOffset(Vietnam).Date.AddDays(-7), Vietnam);
            var closes = opens.AddDays(28).AddHours(17);
            await RoundAsync(connection, transaction, new Round(DepartmentsRoundCurrentYear, ProvinceTenant, thisYear, $"Chỉ số CCHC các sở, ban, ngành năm {thisYear}",
                DepartmentSetCurrentYear, "departments-demo", new RoundWindows(opens, closes, closes, closes.AddDays(21), opens, closes.AddDays(14), closes.AddDays(45)),
                DepartmentsRound2025), [SoNoiVu, SoTuPhap, SoTaiChinh, SoXayDung, SoYTe, SoGiaoDuc], now);
        }
        // Sở Tài chính invests nothing itself in the demo: public investment disbursement does not apply to it.
        await connection.ExecuteAsync(
            """
            INSERT INTO not_applicable_items (round_id, unit_id, node_code)
            VALUES (@round, @unit, '6.1.1') ON CONFLICT DO NOTHING
            """, new { round = DepartmentsRound2024, unit = SoTaiChinh }, transaction);

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Demo seed applied (criteria sets, units, lineage, rounds)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task SetAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string tenant, CriteriaSetDefinition set,
        bool publish, DateTimeOffset now, Guid? clonedFrom = null)
    {
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM criteria_sets WHERE id = @id)", new { id }, transaction))
        {
            return;
        }
        await SetData.InsertAsync(connection, transaction, id, tenant, Tree.Normalize(set), clonedFrom, now);
        if (publish)
        {
            await SetData.SetStatusAsync(connection, transaction, id, SetStatus.Draft, SetStatus.Published, now);
        }
    }

    private static async Task RoundAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Round round, Guid[] units, DateTimeOffset now)
    {
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM rounds WHERE id = @Id)", new { round.Id }, transaction))
        {
            return;
        }
        await RoundData.UpsertAsync(connection, transaction, round, now);
        await RoundData.SetUnitsAsync(connection, transaction, round.Id, units);
    }

    /// <summary>Self-assessment 10-23 November (as a district's 2023 calendar), appraisal to late December, publication in January.</summary>
    private static RoundWindows Windows(int year) => new(
        new(year, 11, 10, 0, 0, 0, Vietnam), new(year, 11, 23, 23, 59, 59, Vietnam),
        new(year, 11, 24, 0, 0, 0, Vietnam), new(year, 12, 20, 17, 0, 0, Vietnam),
        new(year, 11, 1, 0, 0, 0, Vietnam), new(year, 12, 15, 17, 0, 0, Vietnam),
        new(year + 1, 1, 20, 9, 0, 0, Vietnam));

    private static IEnumerable<EvaluatedUnit> Units()
    {
        EvaluatedUnit Province(Guid id, string code, string name, DateOnly from, DateOnly? to = null) =>
            new(id, NationalTenant, code, name, EvaluatedLevel.Province, null, from, to, id == QuangNinh ? ProvinceTenant : null);
        EvaluatedUnit Local(Guid id, string code, string name, EvaluatedLevel type, DateOnly from, DateOnly? to = null) =>
            new(id, ProvinceTenant, code, name, type, QuangNinh, from, to);

        yield return Province(QuangNinh, "22", "Tỉnh Quảng Ninh", Before);
        yield return Province(BacGiang, "24", "Tỉnh Bắc Giang", Before);
        yield return Province(BacNinhBefore2025, "27", "Tỉnh Bắc Ninh", Before);
        yield return Province(BacNinhFrom2025, "27", "Tỉnh Bắc Ninh (sau hợp nhất)", Merger);
        yield return Local(SoNoiVu, "SNV", "Sở Nội vụ", EvaluatedLevel.Department, Before);
        yield return Local(SoTuPhap, "STP", "Sở Tư pháp", EvaluatedLevel.Department, Before);
        yield return Local(SoTaiChinh, "STC", "Sở Tài chính", EvaluatedLevel.Department, Before);
        yield return Local(SoXayDung, "SXD", "Sở Xây dựng", EvaluatedLevel.Department, Before);
        yield return Local(SoYTe, "SYT", "Sở Y tế", EvaluatedLevel.Department, Before);
        yield return Local(SoGiaoDuc, "SGDDT", "Sở Giáo dục và Đào tạo", EvaluatedLevel.Department, Before);
        var lastDistrictDay = Merger.AddDays(-1);
        yield return Local(HaLong, "193", "Thành phố Hạ Long", EvaluatedLevel.District, Before, lastDistrictDay);
        yield return Local(CamPha, "195", "Thành phố Cẩm Phả", EvaluatedLevel.District, Before, lastDistrictDay);
        yield return Local(VanDon, "203", "Huyện Vân Đồn", EvaluatedLevel.District, Before, lastDistrictDay);
        yield return Local(TienYenDistrict, "201", "Huyện Tiên Yên", EvaluatedLevel.District, Before);
        yield return Local(XaTienYen, "X-TIENYEN", "Xã Tiên Yên", EvaluatedLevel.Commune, Merger);
        yield return Local(XaDienXa, "X-DIENXA", "Xã Điền Xá", EvaluatedLevel.Commune, Merger);
        yield return Local(XaDongNgu, "X-DONGNGU", "Xã Đông Ngũ", EvaluatedLevel.Commune, Merger);
        yield return Local(XaHaiLang, "X-HAILANG", "Xã Hải Lạng", EvaluatedLevel.Commune, Merger);
    }
}
