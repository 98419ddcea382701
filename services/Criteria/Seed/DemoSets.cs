using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.Seed;

/// <summary>
/// The demo's criteria sets. The national set is a reference skeleton: only what public sources give (field names,
/// 100 points, 32 by survey), unknown maxima left unknown. The provincial 65/35 sets are ILLUSTRATIVE: shaped like
/// real provincial sets (fields of the 2024 reform plans, graded options, tiers, bonus and penalty with caps) but
/// their items and points are made up for the demo.
/// </summary>
public static class DemoSets
{
    private const string IllustrativeNote = "MINH HỌA / ILLUSTRATIVE: demo values shaped like a provincial 65/35 set; not an official document.";
    private static readonly ClassificationBand[] Bands = [new("Tốt", 90), new("Khá", 80), new("Trung bình", 65), new("Yếu", 50), new("Kém", 0)];
    private static readonly ScoringRule Deadline = new([new("Ban hành đúng hạn", 1), new("Ban hành chậm", 0.5m), new("Không ban hành", 0)]);

    public static CriteriaSetDefinition NationalProvincialSkeleton() => new(
        "PAR-TINH-876", "Bộ tiêu chí xác định Chỉ số cải cách hành chính cấp tỉnh (Quyết định 876/QĐ-BNV ngày 10/11/2022)",
        2022, EvaluatedLevel.Province, 100, 68, 32, [new("A", 90), new("B", 80), new("C", 70), new("D", 0)],
        [
            Unknown("1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
            Unknown("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh"),
            Unknown("3", "Cải cách thủ tục hành chính"),
            Unknown("4", "Cải cách tổ chức bộ máy hành chính"),
            Unknown("5", "Cải cách chế độ công vụ"),
            Unknown("6", "Cải cách tài chính công"),
            Unknown("7", "Xây dựng và phát triển chính phủ điện tử, chính phủ số (cấp tỉnh: chính quyền điện tử, chính quyền số)"),
            Unknown("8", "Tác động của cải cách hành chính",
                Unknown("8.1", "Kết quả thực hiện các chỉ tiêu phát triển kinh tế - xã hội của tỉnh", ScoringMethod.Appraised),
                Unknown("8.2", "Khảo sát cán bộ, lãnh đạo quản lý (điều tra xã hội học)", ScoringMethod.Survey),
                Unknown("8.3", "Khảo sát sự hài lòng của người dân (SIPAS)", ScoringMethod.Survey)),
        ],
        ReferenceSkeleton: true,
        Notes: "Reference skeleton from public sources (shared/domain/criteria-provincial-876.json): 8 fields, 37 criteria, " +
               "88 sub-criteria, 100 points of which 32 by survey (MoHA PAR INDEX 2022/2023; the seed article says 30.5). " +
               "Field maxima and the annex's criteria are unknown and left empty, never guessed. Codes 8.1-8.3 are ours; " +
               "the band letters follow the national A/B/C practice with an illustrative D.");

    public static CriteriaSetDefinition Departments(int year) => Provincial(
        $"QN-SO-{year}", $"Bộ tiêu chí đánh giá Chỉ số CCHC các sở, ban, ngành tỉnh Quảng Ninh năm {year} (minh họa)",
        year, EvaluatedLevel.Department, "Mức độ phối hợp, hướng dẫn đối với UBND cấp xã");

    public static CriteriaSetDefinition Districts(int year) => Provincial(
        $"QN-HUYEN-{year}", $"Bộ tiêu chí đánh giá Chỉ số CCHC UBND cấp huyện tỉnh Quảng Ninh năm {year} (minh họa)",
        year, EvaluatedLevel.District, "Mức độ chỉ đạo, hỗ trợ đối với UBND cấp xã");

    private static CriteriaSetDefinition Provincial(string code, string name, int year, EvaluatedLevel level, string coordination)
    {
        // 2025 changes (what the demo's diff shows): innovation re-weighted down, a digital-platform item added.
        var from2025 = year >= 2025;
        List<CriteriaNode> digital = [S("7.3.1", "Ban hành kế hoạch chuyển đổi số", 1, rule: Deadline), S("7.3.2", "Bảo đảm an toàn thông tin mạng", 1.5m), S("7.3.3", "Khai thác, sử dụng dữ liệu dùng chung", 1.5m)];
        if (from2025) digital.Add(S("7.3.4", "Triển khai nền tảng số, trợ lý ảo phục vụ người dân", 1));
        return new CriteriaSetDefinition(code, name, year, level, 100, 65, 35, Bands,
        [
            N("1", "Công tác chỉ đạo, điều hành cải cách hành chính",
                N("1.1", "Kế hoạch CCHC năm", S("1.1.1", "Ban hành kế hoạch CCHC năm kịp thời", 1, rule: Deadline),
                    S("1.1.2", "Mức độ hoàn thành kế hoạch CCHC", 2, rule: new(Tiers: [new(100, 2), new(80, 1), new(0, 0)]))),
                N("1.2", "Báo cáo CCHC", S("1.2.1", "Thực hiện đầy đủ, đúng thời hạn các báo cáo CCHC", 2)),
                N("1.3", "Kiểm tra CCHC", S("1.3.1", "Ban hành kế hoạch kiểm tra CCHC", 0.5m),
                    S("1.3.2", "Tỷ lệ đơn vị trực thuộc được kiểm tra", 1), S("1.3.3", "Xử lý các vấn đề phát hiện qua kiểm tra", 0.5m)),
                N("1.4", "Công tác tuyên truyền CCHC", S("1.4.1", "Ban hành kế hoạch tuyên truyền CCHC", 0.5m), S("1.4.2", "Mức độ thực hiện kế hoạch tuyên truyền", 1)),
                N("1.5", "Sáng kiến, giải pháp mới trong CCHC", S("1.5.1", "Có sáng kiến, giải pháp được công nhận", from2025 ? 0.5m : 1.5m))),
            N("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
                N("2.1", "Tham mưu xây dựng VBQPPL", S("2.1.1", "Thực hiện đúng quy trình xây dựng VBQPPL", 1.5m), S("2.1.2", "Tỷ lệ VBQPPL tham mưu đúng tiến độ", 1.5m)),
                N("2.2", "Rà soát, hệ thống hóa VBQPPL", S("2.2.1", "Ban hành kế hoạch rà soát", 0.5m), S("2.2.2", "Xử lý kết quả rà soát", 1.5m)),
                N("2.3", "Theo dõi thi hành pháp luật", S("2.3.1", "Ban hành kế hoạch theo dõi thi hành pháp luật", 1), S("2.3.2", "Thực hiện kế hoạch theo dõi", 1))),
            N("3", "Cải cách thủ tục hành chính",
                N("3.1", "Kiểm soát TTHC", S("3.1.1", "Cập nhật, công bố TTHC đúng thời hạn", 1.5m), S("3.1.2", "Rà soát, đơn giản hóa TTHC", 1.5m)),
                N("3.2", "Công khai TTHC", S("3.2.1", "Công khai TTHC trên Cổng dịch vụ công", 1), S("3.2.2", "Công khai TTHC tại nơi tiếp nhận hồ sơ", 1)),
                N("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông",
                    S("3.3.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, rule: new(Tiers: [new(100, 2), new(95, 1.5m), new(90, 1), new(0, 0)])),
                    S("3.3.2", "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi", 1), S("3.3.3", "Số hóa hồ sơ, kết quả giải quyết TTHC", 1)),
                N("3.4", "Tiếp nhận, xử lý phản ánh, kiến nghị", S("3.4.1", "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn", 2), S("3.4.2", "Công khai kết quả xử lý phản ánh, kiến nghị", 1))),
            N("4", "Cải cách tổ chức bộ máy hành chính",
                N("4.1", "Thực hiện quy định về tổ chức bộ máy", S("4.1.1", "Ban hành quy định chức năng, nhiệm vụ của các phòng", 1.5m), S("4.1.2", "Sắp xếp tổ chức bên trong theo quy định", 1.5m)),
                N("4.2", "Quản lý biên chế", S("4.2.1", "Sử dụng biên chế được giao", 1), S("4.2.2", "Thực hiện tinh giản biên chế", 1)),
                N("4.3", "Phân cấp, ủy quyền", S("4.3.1", "Thực hiện các nhiệm vụ được phân cấp, ủy quyền", 2))),
            N("5", "Cải cách chế độ công vụ",
                N("5.1", "Vị trí việc làm", S("5.1.1", "Bố trí công chức theo vị trí việc làm được phê duyệt", 3)),
                N("5.2", "Tuyển dụng, bổ nhiệm", S("5.2.1", "Thực hiện đúng quy định về tuyển dụng", 1), S("5.2.2", "Thực hiện đúng quy định về bổ nhiệm", 1)),
                N("5.3", "Đánh giá, xếp loại công chức", S("5.3.1", "Đánh giá, xếp loại công chức đúng quy định", 2)),
                N("5.4", "Đào tạo, bồi dưỡng", S("5.4.1", "Mức độ thực hiện kế hoạch đào tạo, bồi dưỡng", 1)),
                N("5.5", "Kỷ luật, kỷ cương hành chính", S("5.5.1", "Không có công chức bị xử lý kỷ luật", 1), S("5.5.2", "Thực hiện quy định về văn hóa công vụ", 1))),
            N("6", "Cải cách tài chính công",
                N("6.1", "Quản lý, sử dụng ngân sách", S("6.1.1", "Tỷ lệ giải ngân vốn đầu tư công", 2, rule: new(Tiers: [new(95, 2), new(80, 1), new(0, 0)])), S("6.1.2", "Công khai ngân sách theo quy định", 1)),
                N("6.2", "Quy chế chi tiêu nội bộ", S("6.2.1", "Ban hành, thực hiện quy chế chi tiêu nội bộ", 1.5m)),
                N("6.3", "Quản lý tài sản công", S("6.3.1", "Ban hành, thực hiện quy chế quản lý tài sản công", 1.5m))),
            N("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
                N("7.1", "Ứng dụng CNTT trong hoạt động nội bộ", S("7.1.1", "Tỷ lệ văn bản điện tử có ký số", 2), S("7.1.2", "Sử dụng hệ thống quản lý văn bản và điều hành", 2)),
                N("7.2", "Cung cấp dịch vụ công trực tuyến", S("7.2.1", "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình", 2),
                    S("7.2.2", "Tỷ lệ hồ sơ trực tuyến toàn trình", 2), S("7.2.3", "Tỷ lệ thanh toán trực tuyến", 1)),
                N("7.3", "Chuyển đổi số", [.. digital])),
            N("8", "Điều tra xã hội học",
                N("8.1", "Đánh giá của đại biểu HĐND tỉnh, lãnh đạo Ủy ban MTTQ", V("8.1.1", "Chất lượng chỉ đạo, điều hành CCHC", 5), V("8.1.2", "Chất lượng thực thi công vụ", 5)),
                N("8.2", "Đánh giá của lãnh đạo UBND cấp xã", V("8.2.1", coordination, 5), V("8.2.2", "Tính kịp thời trong giải quyết công việc", 5)),
                N("8.3", "Sự hài lòng của người dân, tổ chức (SIPAS)", V("8.3.1", "Tiếp cận dịch vụ", 3), V("8.3.2", "Thủ tục hành chính", 3),
                    V("8.3.3", "Công chức giải quyết TTHC", 3), V("8.3.4", "Kết quả giải quyết TTHC", 3), V("8.3.5", "Tiếp nhận, xử lý góp ý, phản ánh", 3))),
            new("9", "Điểm thưởng", 2, IsBonus: true, Children:
            [
                new("9.1", "Được Trung ương, tỉnh khen thưởng về CCHC", 1, Method: ScoringMethod.Appraised, EvidenceRequired: true, IsBonus: true),
                new("9.2", "Mô hình, sáng kiến CCHC được nhân rộng", 1, Method: ScoringMethod.Appraised, EvidenceRequired: true, IsBonus: true),
            ]),
            new("10", "Điểm trừ", 0, -3, IsPenalty: true, Children:
            [
                new("10.1", "Để xảy ra sai phạm trong giải quyết TTHC bị xử lý", 0, -2, ScoringMethod.Appraised, IsPenalty: true),
                new("10.2", "Chậm gửi báo cáo theo yêu cầu", 0, -1, ScoringMethod.Appraised, IsPenalty: true),
            ]),
        ], ScoreStep: 0.25m, BonusCap: 2, PenaltyCap: 3, Notes: IllustrativeNote);
    }

    /// <summary>A parent whose maximum is the sum of its children's.</summary>
    private static CriteriaNode N(string code, string name, params CriteriaNode[] children) =>
        new(code, name, children.Sum(child => child.MaxPoints ?? 0), Children: children);

    private static CriteriaNode S(string code, string name, decimal max, ScoringRule? rule = null) =>
        new(code, name, max, Method: ScoringMethod.Appraised, EvidenceRequired: true,
            Guidance: rule is null ? "Chấm theo mức độ đạt được, căn cứ tài liệu kiểm chứng." : null, Rule: rule);

    private static CriteriaNode V(string code, string name, decimal max) => new(code, name, max, Method: ScoringMethod.Survey);

    private static CriteriaNode Unknown(string code, string name, params CriteriaNode[] children) =>
        new(code, name, null, Children: children.Length > 0 ? children : null);

    private static CriteriaNode Unknown(string code, string name, ScoringMethod method) => new(code, name, null, Method: method);
}
