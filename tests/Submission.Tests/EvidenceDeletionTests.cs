using ParPlatform.Testing;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

/// <summary>
/// Deleting evidence, with the submission service running: a file an assessment refers to stays (no dangling ids),
/// every deletion is audited by name, and the round's overseers can list a unit's files and their deletions.
/// </summary>
public sealed class EvidenceDeletionTests : PlatformTest
{
    [Fact]
    public async Task Evidence_an_assessment_refers_to_cannot_be_deleted_and_deletions_are_audited_by_name()
    {
        var spare = await Platform.UploadPdfAsync(NamedOfficer1);
        var assessment = await Platform.StartAsync();
        var attached = await Platform.UploadPdfAsync();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, evidence: [attached.Id])).ReadAsync<ItemDto>();

        // In a draft, the item must let go of the file first; afterwards the file can go.
        var draft = await (await DeleteAsync(attached.Id)).ProblemAsync(409, "urn:par:evidence-storage:evidence-in-use");
        Assert.Contains("1.1.1", draft.GetProperty("detail").GetString());
        Assert.Equal(204, (int)(await DeleteAsync(spare.Id, NamedOfficer1)).StatusCode);

        // Once submitted (and approved, appraised...), what the assessment refers to stays, with the reason.
        var approved = await Platform.ApprovedAssessmentAsync();
        var kept = approved.Item("1.1.1").EvidenceIds.Single();
        var refused = await (await DeleteAsync(kept)).ProblemAsync(409, "urn:par:evidence-storage:evidence-in-use");
        Assert.Contains("Approved", refused.GetProperty("detail").GetString());
        Assert.True((await Platform.EvidenceAs(Appraiser).GetAsync($"/api/evidence-storage/evidence/{kept}/content")).IsSuccessStatusCode);

        // The round's appraisers and administrators (and viewers) list the unit's files: the live ones, never the deleted.
        var list = $"/api/evidence-storage/rounds/{RoundId}/units/{Unit1}/evidence";
        foreach (var overseer in new[] { Appraiser, Admin, Viewer, Leader1 })
        {
            var files = await (await Platform.EvidenceAs(overseer).GetAsync(list)).ReadAsync<List<EvidenceDto>>();
            Assert.Equal(new[] { attached.Id, kept }.Order(), files.Select(file => file.Id).Order());
        }
        await (await Platform.EvidenceAs(Officer2).GetAsync(list)).ProblemAsync(403, "urn:par:evidence-storage:forbidden");
        await (await Platform.EvidenceAs(OtherTenantAppraiser).GetAsync(list)).ProblemAsync(403, "urn:par:evidence-storage:forbidden");

        // ...and the deletions: who (by name), when, what.
        var audit = await (await Platform.EvidenceAs(Appraiser).GetAsync($"{list}/audit")).ReadAsync<List<EvidenceAuditDto>>();
        var deletion = Assert.Single(audit);
        Assert.Equal((spare.Id, "officer-1", "Nguyễn Thị Hoà", "deleted", Start), (deletion.EvidenceId, deletion.UserId, deletion.UserName, deletion.Action, deletion.At));
        Assert.Contains("ke-hoach.pdf", deletion.Detail);
        await (await Platform.EvidenceAs(Officer2).GetAsync($"{list}/audit")).ProblemAsync(403, "urn:par:evidence-storage:forbidden");
    }

    private Task<HttpResponseMessage> DeleteAsync(Guid evidence, TestCaller? caller = null) =>
        Platform.EvidenceAs(caller ?? Officer1).DeleteAsync($"/api/evidence-storage/evidence/{evidence}");

    public sealed record EvidenceAuditDto(long Id, Guid EvidenceId, DateTimeOffset At, string UserId, string UserName, string Role, string Action, string? Detail);
}
