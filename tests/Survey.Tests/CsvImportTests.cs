using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Tests;

[Collection(SurveyCollection.Name)]
public sealed class CsvImportTests(SurveyFixture fixture)
{
    private static readonly Guid Unit = TestCriteria.Units[1];

    [Fact]
    public async Task Reuploading_a_batch_stores_nothing_twice_and_reports_row_errors()
    {
        var csv = $"""
            unit_id,Q1,Q2,Q3,sex
            {Unit},A,B,8,Nữ
            {Unit},C,C,,Nam
            {Unit},E,A,,Nam
            {Guid.NewGuid()},A,A,,
            {Unit},A
            {Unit},D,D,0.5,Nữ
            """;
        var first = await UploadAsync("paper-2026-01", Encoding.UTF8.GetBytes(csv));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var job = (await first.Content.ReadFromJsonAsync<ImportJob>(SurveyFixture.Json))!;
        Assert.Equal((ImportData.Completed, 6, 3, 0, 3), (job.Status, job.RowsRead, job.Accepted, job.Duplicates, job.Rejected));

        var again = (await (await UploadAsync("paper-2026-01", Encoding.UTF8.GetBytes(csv))).Content.ReadFromJsonAsync<ImportJob>(SurveyFixture.Json))!;
        Assert.Equal((6, 0, 3, 3), (again.RowsRead, again.Accepted, again.Duplicates, again.Rejected));

        var report = await fixture.Operator.GetStringAsync($"/api/survey/questionnaires/{fixture.Citizens}/imports/paper-2026-01/errors");
        var lines = report.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"3,\"{CsvImporter.RowId(fixture.Citizens, "paper-2026-01", 3)}\",{Reasons.AnswerOutsideScale}", lines[1]);
        Assert.StartsWith("4,", lines[2]);
        Assert.Contains(Reasons.UnknownUnit, lines[2]);
        Assert.Contains(Reasons.MalformedRow, lines[3]);

        var prefix = $"csv:{fixture.Citizens:N}:paper-2026-01:";
        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync(prefix) == 3);
        await fixture.DrainedAsync();
        Assert.Equal([prefix + "1", prefix + "2", prefix + "6"], await fixture.StoredIdsAsync(prefix));
        await using var connection = await fixture.Database.OpenConnectionAsync();
        Assert.Equal("Nữ", await connection.ExecuteScalarAsync<string>(
            "SELECT profile->>'sex' FROM responses WHERE response_id = @id", new { id = prefix + "1" }));
    }

    [Fact]
    public async Task A_unit_id_that_is_not_a_guid_is_reported_with_its_row_column_and_value()
    {
        var csv = $"""
            Q1,unit_id,Q2
            A,{Unit},B
            A,not-a-guid,B
            B,,C
            """;
        var job = (await (await UploadAsync("bad-unit-ids", Encoding.UTF8.GetBytes(csv))).Content.ReadFromJsonAsync<ImportJob>(SurveyFixture.Json))!;
        Assert.Equal((3, 1, 2), (job.RowsRead, job.Accepted, job.Rejected));

        var lines = (await fixture.Operator.GetStringAsync($"/api/survey/questionnaires/{fixture.Citizens}/imports/bad-unit-ids/errors")).Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"2,\"{CsvImporter.RowId(fixture.Citizens, "bad-unit-ids", 2)}\",{Reasons.InvalidUnitId},", lines[1]);
        Assert.Contains("Row 2, column 2 (unit_id): 'not-a-guid' is not a unit id", lines[1]);
        Assert.Contains("Row 3, column 2 (unit_id): '' is not a unit id", lines[2]);
        Assert.DoesNotContain(Guid.Empty.ToString(), string.Join('\n', lines));
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_as_a_bad_encoding()
    {
        var header = Encoding.UTF8.GetBytes($"unit_id,Q1,Q2,sex\n{Unit},A,A,N");
        byte[] windows1258 = [0xE3, 0x28, (byte)'\n']; // not UTF-8: a file saved in a legacy Vietnamese code page
        var reply = await UploadAsync("legacy-encoding", [.. header, .. windows1258]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.StatusCode);
        Assert.Contains("urn:par:survey:invalid-encoding", await reply.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_column_is_refused_as_malformed_csv()
    {
        var reply = await UploadAsync("bad-header", Encoding.UTF8.GetBytes($"unit_id,Q1,Q9\n{Unit},A,A\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.StatusCode);
        Assert.Contains("urn:par:survey:malformed-csv", await reply.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> UploadAsync(string batch, byte[] body) =>
        fixture.Operator.PostAsync(
            $"/api/survey/questionnaires/{fixture.Citizens}/imports/{batch}",
            new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } });
}
