namespace ParPlatform.Criteria.Seed;

/// <summary>Fixed ids of the demo data, so the AppHost demo, other services' tests and scripts can name them.</summary>
public static class SeedIds
{
    public const string NationalTenant = "national";
    public const string ProvinceTenant = "quang-ninh";

    // Criteria sets
    public static readonly Guid NationalProvincialSkeleton = Guid.Parse("10000000-0000-4000-8000-000000000001");
    public static readonly Guid DepartmentSet2024 = Guid.Parse("10000000-0000-4000-8000-000000000002");
    public static readonly Guid DepartmentSet2025 = Guid.Parse("10000000-0000-4000-8000-000000000003");
    public static readonly Guid DistrictSet2024 = Guid.Parse("10000000-0000-4000-8000-000000000004");
    /// <summary>The set of the year the demo is first started in (after 2025), with a round open at that moment.</summary>
    public static readonly Guid DepartmentSetCurrentYear = Guid.Parse("10000000-0000-4000-8000-000000000005");

    // Provinces (national tenant)
    public static readonly Guid QuangNinh = Guid.Parse("20000000-0000-4000-8000-000000000001");
    public static readonly Guid BacNinhBefore2025 = Guid.Parse("20000000-0000-4000-8000-000000000002");
    public static readonly Guid BacGiang = Guid.Parse("20000000-0000-4000-8000-000000000003");
    public static readonly Guid BacNinhFrom2025 = Guid.Parse("20000000-0000-4000-8000-000000000004");

    // Departments of Quảng Ninh
    public static readonly Guid SoNoiVu = Guid.Parse("20000000-0000-4000-8000-000000000011");
    public static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");
    public static readonly Guid SoTaiChinh = Guid.Parse("20000000-0000-4000-8000-000000000013");
    public static readonly Guid SoXayDung = Guid.Parse("20000000-0000-4000-8000-000000000014");
    public static readonly Guid SoYTe = Guid.Parse("20000000-0000-4000-8000-000000000015");
    public static readonly Guid SoGiaoDuc = Guid.Parse("20000000-0000-4000-8000-000000000016");

    // Districts of Quảng Ninh (until 30 June 2025) and the communes Tiên Yên district was dissolved into
    public static readonly Guid HaLong = Guid.Parse("20000000-0000-4000-8000-000000000021");
    public static readonly Guid CamPha = Guid.Parse("20000000-0000-4000-8000-000000000022");
    public static readonly Guid VanDon = Guid.Parse("20000000-0000-4000-8000-000000000023");
    public static readonly Guid TienYenDistrict = Guid.Parse("20000000-0000-4000-8000-000000000024");
    public static readonly Guid XaTienYen = Guid.Parse("20000000-0000-4000-8000-000000000031");
    public static readonly Guid XaDienXa = Guid.Parse("20000000-0000-4000-8000-000000000032");
    public static readonly Guid XaDongNgu = Guid.Parse("20000000-0000-4000-8000-000000000033");
    public static readonly Guid XaHaiLang = Guid.Parse("20000000-0000-4000-8000-000000000034");

    // Rounds
    public static readonly Guid DepartmentsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000001");
    public static readonly Guid DepartmentsRound2025 = Guid.Parse("30000000-0000-4000-8000-000000000002");
    public static readonly Guid DistrictsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000003");
    /// <summary>Open for self-assessment when the demo is first seeded, so the web console has work to show.</summary>
    public static readonly Guid DepartmentsRoundCurrentYear = Guid.Parse("30000000-0000-4000-8000-000000000004");

    // Lineage events
    public static readonly Guid BacNinhBacGiangMerger = Guid.Parse("40000000-0000-4000-8000-000000000001");
    public static readonly Guid TienYenDissolution = Guid.Parse("40000000-0000-4000-8000-000000000002");
}
