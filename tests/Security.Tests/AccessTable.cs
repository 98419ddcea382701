namespace ParPlatform.Security.Tests;

/// <summary>The identities of the table's columns (see <see cref="AccessTable"/>).</summary>
public enum Column
{
    Anonymous, NationalAdmin, ProvincialAdmin, Appraiser, OfficerOwn, OfficerOther, LeaderOwn, LeaderOther,
    SurveyOperator, SurveyPartner, MinistryClient, Viewer,
}

/// <summary>One cell: what one identity gets from one route.</summary>
public readonly record struct Expected(string Code)
{
    /// <summary>Allowed, the whole answer (REST 2xx, gRPC OK).</summary>
    public bool IsFull => Code == "F";

    /// <summary>Allowed, but only the caller's own unit's data: nothing of Sở Tư pháp's own work for another unit.</summary>
    public bool IsOwnUnitOnly => Code == "O";

    public bool IsAllowed => IsFull || IsOwnUnitOnly;

    /// <summary>The exact refusal: an HTTP status (REST) or a gRPC status code.</summary>
    public int Status => IsAllowed ? 0 : int.Parse(Code, System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => Code switch { "F" => "allowed (full)", "O" => "allowed (own unit only)", _ => Code };
}

/// <summary>
/// Issue 11: the expected answer of every route and gRPC method for every identity, in one table. A route of the
/// OpenAPI documents or a method of the gRPC descriptors without a row fails the suite (and the failure prints the
/// row the platform's current answers suggest): add one line.
///
/// Columns, in this order (real demo tokens of quang-ninh, and the Ministry's bo.quantri):
///   anon  no token (and an expired one, one signed by another key, for another audience or issuer)
///   NA    bo.quantri, national-admin             PA  qn.quantri, provincial-admin
///   AP    qn.thamdinh, appraiser                  SO  qn.dieutra, survey-operator
///   UO    qn.tuphap.canbo, officer of Sở Tư pháp  uo  an officer of Sở Nội vụ (another unit of the tenant)
///   UL    qn.tuphap.lanhdao, leader of Sở Tư pháp ul  a leader of Sở Nội vụ
///   SP    qn-survey-partner, survey-partner       MC  ministry-reporting, ministry-client
///   VW    qn.xem, viewer
/// The targets are the fixture's quang-ninh round, Sở Tư pháp's assessment and evidence, a draft set, a published
/// questionnaire and one response (<see cref="Targets"/>).
///
/// Cells: F allowed, the whole answer; O allowed, but only the caller's own unit's (no Sở Tư pháp data for another
/// unit); a number: exactly that refusal, REST status (401, 403, 404) or gRPC status (16 UNAUTHENTICATED,
/// 7 PERMISSION_DENIED, 5 NOT_FOUND), with a ProblemDetails body (REST) or no message (gRPC) and none of the targets'
/// data. Allowed reads are made and must answer 2xx / OK; allowed writes are stated but not made (they would change
/// the targets); every refusal is made. The same rules for everyone else, on every row: another tenant (bac-ninh, seven
/// identities) is refused or gets exactly what random ids get; a token without a tenant is refused; anything
/// unauthenticated gets what the anon column says (401 / 16 unless the route is public).
/// </summary>
public static class AccessTable
{
    public static readonly IReadOnlyDictionary<string, string> Rest = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        //                                                                                   anon NA  PA  AP  UO  uo  UL  ul  SO  SP  MC  VW
        ["POST /api/criteria/diagnostics/pings"] =                                          "401 F   F   403 403 403 403 403 403 403 403 403",
        // Pings: only an operator sends one (it writes to the database and the broker); the probe's ping id is random: 404.
        ["GET /api/criteria/diagnostics/pings/{pingId}"] =                                  "401 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/criteria/info"] =                                                        "F   F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/criteria/lineage"] =                                                     "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/criteria/lineage"] =                                                    "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/rounds"] =                                                      "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/criteria/rounds"] =                                                     "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/rounds/{id}"] =                                                 "401 F   F   F   F   F   F   F   F   F   F   F",
        ["PUT /api/criteria/rounds/{id}"] =                                                 "401 F   F   403 403 403 403 403 403 403 403 403",
        // Only the round's own province deletes it (a draft with nothing attached; 409 otherwise).
        ["DELETE /api/criteria/rounds/{id}"] =                                              "401 403 F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/rounds/{id}/audit"] =                                           "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/rounds/{id}/units"] =                                           "401 F   F   F   F   F   F   F   F   F   F   F",
        ["PUT /api/criteria/rounds/{id}/units"] =                                           "401 F   F   403 403 403 403 403 403 403 403 403",
        ["PUT /api/criteria/rounds/{id}/units/{unitId}/not-applicable"] =                   "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/sets"] =                                                        "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/criteria/sets"] =                                                       "401 F   F   403 403 403 403 403 403 403 403 403",
        ["POST /api/criteria/sets/import.xlsx"] =                                           "401 F   F   403 403 403 403 403 403 403 403 403",
        ["POST /api/criteria/sets/validate"] =                                              "401 F   F   F   F   F   F   F   F   F   F   F",
        ["DELETE /api/criteria/sets/{id}"] =                                                "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/sets/{id}"] =                                                   "401 F   F   F   F   F   F   F   F   F   F   F",
        ["PUT /api/criteria/sets/{id}"] =                                                   "401 F   F   403 403 403 403 403 403 403 403 403",
        ["POST /api/criteria/sets/{id}/clone"] =                                            "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/sets/{id}/diff"] =                                              "401 F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/criteria/sets/{id}/export"] =                                            "401 F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/criteria/sets/{id}/export.xlsx"] =                                       "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/criteria/sets/{id}/publish"] =                                          "401 F   F   403 403 403 403 403 403 403 403 403",
        ["POST /api/criteria/sets/{id}/retire"] =                                           "401 F   F   403 403 403 403 403 403 403 403 403",
        ["PUT /api/criteria/sets/{id}/xlsx"] =                                              "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/units"] =                                                       "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/criteria/units"] =                                                      "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/units/{id}"] =                                                  "401 F   F   F   F   F   F   F   F   F   F   F",
        ["PUT /api/criteria/units/{id}"] =                                                  "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/criteria/units/{id}/lineage"] =                                          "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/evidence-storage/diagnostics/pings"] =                                  "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/evidence-storage/diagnostics/pings/{pingId}"] =                          "401 404 404 404 404 404 404 404 404 404 404 404",
        ["DELETE /api/evidence-storage/evidence/{id}"] =                                    "401 403 403 403 F   404 F   404 404 404 404 403",
        ["GET /api/evidence-storage/evidence/{id}"] =                                       "401 F   F   F   F   404 F   404 404 404 404 F",
        ["GET /api/evidence-storage/evidence/{id}/content"] =                               "401 F   F   F   F   404 F   404 404 404 404 F",
        ["GET /api/evidence-storage/info"] =                                                "F   F   F   F   F   F   F   F   F   F   F   F",
        // The caller's own unit's evidence in the round (another unit's officer lists its own: O).
        ["GET /api/evidence-storage/rounds/{roundId}/evidence"] =                           "401 403 403 403 F   O   F   O   403 403 403 403",
        ["POST /api/evidence-storage/rounds/{roundId}/evidence"] =                          "401 403 403 403 F   F   F   F   403 403 403 403",
        // A unit's files for a round: its own officials and the tenant's overseers; never another unit's officials.
        ["GET /api/evidence-storage/rounds/{roundId}/units/{unitId}/evidence"] =            "401 F   F   F   F   403 F   403 403 403 403 F",
        ["GET /api/evidence-storage/rounds/{roundId}/units/{unitId}/evidence/audit"] =      "401 F   F   F   F   403 F   403 403 403 403 F",
        ["POST /api/evidence-storage/rounds/{roundId}/evidence/form"] =                     "401 403 403 403 F   F   F   F   403 403 403 403",
        ["GET /api/identity/info"] =                                                        "F   F   F   F   F   F   F   F   F   F   F   F",
        // Accounts and provinces (issue 13): administrators only; a provincial admin's own tenant (row-level security);
        // the probe's account id is random: 404 for the administrators, 403 for every other role before any lookup.
        ["GET /api/identity/accounts"] =                                                    "401 F   F   403 403 403 403 403 403 403 403 403",
        ["POST /api/identity/accounts"] =                                                   "401 F   F   403 403 403 403 403 403 403 403 403",
        // A sheet of accounts (dry run by default; the probe's CSV lacks the sheet's columns: allowed writes are not made).
        ["POST /api/identity/accounts/import"] =                                            "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/identity/accounts/{id}"] =                                               "401 404 404 403 403 403 403 403 403 403 403 403",
        ["PUT /api/identity/accounts/{id}"] =                                               "401 404 404 403 403 403 403 403 403 403 403 403",
        ["POST /api/identity/accounts/{id}/disable"] =                                      "401 404 404 403 403 403 403 403 403 403 403 403",
        ["POST /api/identity/accounts/{id}/enable"] =                                       "401 404 404 403 403 403 403 403 403 403 403 403",
        ["POST /api/identity/accounts/{id}/reset-password"] =                               "401 404 404 403 403 403 403 403 403 403 403 403",
        ["GET /api/identity/audit"] =                                                       "401 F   F   403 403 403 403 403 403 403 403 403",
        // Only the Ministry creates a province; a provincial admin sees its own.
        ["GET /api/identity/tenants"] =                                                     "401 F   F   403 403 403 403 403 403 403 403 403",
        ["POST /api/identity/tenants"] =                                                    "401 F   403 403 403 403 403 403 403 403 403 403",
        // A province's name (the documents' header): its own for every role of the province, every one for the Ministry.
        ["GET /api/identity/tenants/{tenant}"] =                                            "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/ranking/diagnostics/pings"] =                                           "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/ranking/diagnostics/pings/{pingId}"] =                                   "401 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/ranking/info"] =                                                         "F   F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/ranking/rounds/{roundId}/live"] =                                        "401 F   F   F   403 403 403 403 403 403 403 403",
        // The published rounds: every tenant's for the Ministry's callers, the caller's own tenant's for a province's.
        ["GET /api/ranking/rounds"] =                                                       "401 F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/ranking/rounds/{roundId}/live/units/{unitId}"] =                         "401 F   F   F   F   403 F   403 403 403 403 403",
        ["GET /api/ranking/rounds/{roundId}/live/units/{unitId}/what-if"] =                 "401 F   F   F   F   403 F   403 403 403 403 403",
        ["POST /api/ranking/rounds/{roundId}/publications"] =                               "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/ranking/rounds/{roundId}/publications/{version}"] =                      "401 F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/ranking/rounds/{roundId}/publications/{version}/table.{format}"] =       "401 F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/ranking/rounds/{roundId}/publications/{version}/units/{unitId}"] =       "401 F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/ranking/rounds/{roundId}/publications/{version}/units/{unitId}/scorecard.{format}"] = "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/submission/assessments"] =                                              "401 403 403 403 F   403 F   403 403 403 403 403",
        ["GET /api/submission/assessments/{id}"] =                                          "401 F   F   F   F   403 F   403 403 403 403 F",
        ["POST /api/submission/assessments/{id}/appraisal/finalize"] =                      "401 403 403 F   403 403 403 403 403 403 403 403",
        ["PUT /api/submission/assessments/{id}/appraisal/items/{code}"] =                   "401 403 403 F   403 403 403 403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/appraisal/second-round"] =                  "401 403 403 F   403 403 403 403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/appraisal/start"] =                         "401 403 403 F   403 403 403 403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/appraisal/supplementary"] =                 "401 403 403 F   403 403 403 403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/appraisal/supplementary/close"] =           "401 403 403 F   403 403 403 403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/approve"] =                                 "401 403 403 403 403 403 F   403 403 403 403 403",
        ["GET /api/submission/assessments/{id}/audit"] =                                    "401 F   F   F   F   403 F   403 403 403 403 F",
        ["GET /api/submission/assessments/{id}/audit.csv"] =                                "401 F   F   F   F   403 F   403 403 403 403 F",
        ["PUT /api/submission/assessments/{id}/items/{code}"] =                             "401 403 403 403 F   403 F   403 403 403 403 403",
        ["PATCH /api/submission/assessments/{id}/items/{code}"] =                           "401 403 403 403 F   403 F   403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/reopen"] =                                  "401 403 403 F   403 403 F   403 403 403 403 403",
        ["GET /api/submission/assessments/{id}/sheet.xlsx"] =                               "401 F   F   F   F   403 F   403 403 403 403 F",
        ["PUT /api/submission/assessments/{id}/sheet.xlsx"] =                               "401 403 403 403 F   403 F   403 403 403 403 403",
        ["POST /api/submission/assessments/{id}/submit"] =                                  "401 403 403 403 F   403 F   403 403 403 403 403",
        ["POST /api/submission/diagnostics/pings"] =                                        "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/submission/diagnostics/pings/{pingId}"] =                                "401 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/submission/info"] =                                                      "F   F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/submission/rounds/{roundId}/progress"] =                                 "401 F   F   F   403 403 403 403 403 403 403 F",
        ["GET /api/submission/rounds/{roundId}/units/{unitId}/assessment"] =                "401 F   F   F   F   403 F   403 403 403 403 F",
        ["POST /api/survey/diagnostics/pings"] =                                            "401 F   F   403 403 403 403 403 403 403 403 403",
        ["GET /api/survey/diagnostics/pings/{pingId}"] =                                    "401 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/survey/info"] =                                                          "F   F   F   F   F   F   F   F   F   F   F   F",
        ["GET /api/survey/ops/intake"] =                                                    "401 F   F   403 403 403 403 403 F   403 403 403",
        ["POST /api/survey/ops/error-queue/replay"] =                                       "401 F   F   403 403 403 403 403 F   403 403 403",
        ["GET /api/survey/questionnaires"] =                                                "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/survey/questionnaires"] =                                               "401 F   F   403 403 403 403 403 F   403 403 403",
        // Questionnaires and response receipts are looked up in the caller's own tenant: the Ministry's tokens get 404.
        ["GET /api/survey/questionnaires/{id}"] =                                           "401 404 F   F   F   F   F   F   F   F   404 F",
        ["PUT /api/survey/questionnaires/{id}"] =                                           "401 F   F   403 403 403 403 403 F   403 403 403",
        // A province's questionnaire is looked up in the caller's tenant: the Ministry gets 404.
        ["DELETE /api/survey/questionnaires/{id}"] =                                        "401 404 F   403 403 403 403 403 F   403 403 403",
        ["POST /api/survey/questionnaires/{id}/publish"] =                                  "401 F   F   403 403 403 403 403 F   403 403 403",
        ["GET /api/survey/questionnaires/{questionnaireId}/imports/{batch}"] =              "401 404 404 404 404 404 404 404 404 404 404 404",
        ["POST /api/survey/questionnaires/{questionnaireId}/imports/{batch}"] =             "401 F   F   403 403 403 403 403 F   F   403 403",
        ["GET /api/survey/questionnaires/{questionnaireId}/imports/{batch}/errors"] =       "401 F   F   F   F   F   F   F   F   F   F   F",
        ["POST /api/survey/responses"] =                                                    "401 F   F   403 403 403 403 403 F   F   403 403",
        ["POST /api/survey/responses/batch"] =                                              "401 F   F   403 403 403 403 403 F   F   403 403",
        ["GET /api/survey/responses/{responseId}"] =                                        "401 404 F   F   F   F   F   F   F   F   404 F",
        // Unpublished survey points: admins, appraisers, survey operators; a unit's officials only where the round says so
        // (this round does not): Survey.Tests/ScoreAccessTests states the own-unit case.
        ["GET /api/survey/rounds/{roundId}/scores"] =                                       "401 F   F   F   403 403 403 403 F   403 403 403",
    };

    public static readonly IReadOnlyDictionary<string, string> Grpc = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        //                                                                                   anon NA  PA  AP  UO  uo  UL  ul  SO  SP  MC  VW
        ["par.criteria.v1.CriteriaService/GetCriteriaSet"] =                                "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.criteria.v1.CriteriaService/GetRound"] =                                      "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.criteria.v1.CriteriaService/GetServiceInfo"] =                                "F   F   F   F   F   F   F   F   F   F   F   F",
        ["par.criteria.v1.CriteriaService/ListRoundUnits"] =                                "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.criteria.v1.CriteriaService/ResolveLineage"] =                                "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.evidence.v1.EvidenceService/GetEvidenceMetadata"] =                           "16  F   F   F   F   O   F   O   O   O   O   F",
        ["par.evidence.v1.EvidenceService/GetServiceInfo"] =                                "F   F   F   F   F   F   F   F   F   F   F   F",
        ["par.ranking.v1.RankingService/GetPublishedRanking"] =                             "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.ranking.v1.RankingService/GetServiceInfo"] =                                  "F   F   F   F   F   F   F   F   F   F   F   F",
        ["par.ranking.v1.RankingService/StreamPublishedUnits"] =                            "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.ranking.v1.RankingService/ListPublications"] =                                "16  F   F   F   F   F   F   F   F   F   F   F",
        ["par.submission.v1.SubmissionService/GetAssessment"] =                             "16  F   F   F   F   7   F   7   7   7   7   F",
        ["par.submission.v1.SubmissionService/GetServiceInfo"] =                            "F   F   F   F   F   F   F   F   F   F   F   F",
        ["par.survey.v1.SurveyService/GetServiceInfo"] =                                    "F   F   F   F   F   F   F   F   F   F   F   F",
        ["par.survey.v1.SurveyService/GetUnitScores"] =                                     "16  F   F   F   7   7   7   7   F   7   7   7",
        ["par.survey.v1.SurveyService/SubmitResponses"] =                                   "16  F   F   7   7   7   7   7   F   F   7   7",
    };

    public static readonly int ColumnCount = Enum.GetValues<Column>().Length;

    /// <summary>The row's cells; a row of the wrong width or with an unknown cell is a mistake in the table.</summary>
    public static Expected[] Parse(string key, string row)
    {
        var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cells.Length != ColumnCount || cells.Any(cell => cell is not ("F" or "O") && !int.TryParse(cell, out _)))
        {
            throw new InvalidOperationException($"AccessTable row \"{key}\" needs {ColumnCount} cells of F, O or a status code: \"{row}\"");
        }
        return cells.Select(cell => new Expected(cell)).ToArray();
    }

    /// <summary>A table line as C#, for the failure message of a route without a row.</summary>
    public static string Line(string key, IEnumerable<string> cells) =>
        $"[\"{key}\"] = ".PadRight(84) + $"\"{string.Join(' ', cells.Select(cell => cell.PadRight(3))).TrimEnd()}\",";
}
