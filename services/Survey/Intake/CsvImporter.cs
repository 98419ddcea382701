using System.Globalization;
using System.Text;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Questionnaires;
using Sylvan.Data.Csv;

namespace ParPlatform.Survey.Intake;

/// <summary>
/// Bulk import of paper forms typed into CSV: <c>unit_id</c>, one column per question code (option code or number,
/// empty = unanswered) and optional demographic columns. The body is parsed as it streams in, sent on in chunks, and
/// each row gets the deterministic id <c>csv:{questionnaire}:{batch}:{row}</c>, so uploading a batch again stores
/// nothing twice.
/// </summary>
public sealed class CsvImporter(IntakeService intake, ImportData jobs, TimeProvider clock)
{
    public const int ChunkSize = 500;
    public const string Channel = "csv";
    public const string UnitColumn = "unit_id";
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string RowId(Guid questionnaireId, string batch, int row) => $"csv:{questionnaireId:N}:{batch}:{row}";

    /// <returns>null when the file was read to its end, else why it stopped ("invalid-encoding: ...").</returns>
    public async Task<string?> RunAsync(string tenantId, Questionnaire questionnaire, string batch, Stream body, CancellationToken cancellationToken)
    {
        await jobs.StartAsync(tenantId, questionnaire.Id, batch, clock.GetUtcNow(), cancellationToken);
        var chunk = new List<(int Row, ResponseInput? Input, ItemResult? Rejection)>();
        string? error = null;
        var row = 0;
        try
        {
            using var text = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
            var unitColumn = CheckColumns(csv, questionnaire);
            while (await csv.ReadAsync(cancellationToken))
            {
                row++;
                chunk.Add(ParseRow(csv, unitColumn, questionnaire, RowId(questionnaire.Id, batch, row), row));
                if (chunk.Count == ChunkSize)
                {
                    await SubmitAsync(tenantId, questionnaire.Id, batch, chunk, cancellationToken);
                    chunk.Clear();
                }
            }
        }
        catch (DecoderFallbackException)
        {
            error = $"invalid-encoding: the file is not valid UTF-8 (after data row {row}).";
        }
        catch (Exception exception) when (exception is CsvFormatException or InvalidDataException)
        {
            error = $"malformed-csv: {exception.Message} (after data row {row}).";
        }
        // Rows read before a failure still go through: they are valid, and a corrected re-upload dedupes them.
        await SubmitAsync(tenantId, questionnaire.Id, batch, chunk, cancellationToken);
        await jobs.FinishAsync(tenantId, questionnaire.Id, batch, error, clock.GetUtcNow());
        return error;
    }

    private async Task SubmitAsync(
        string tenantId, Guid questionnaireId, string batch, List<(int Row, ResponseInput? Input, ItemResult? Rejection)> chunk,
        CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }
        var parsed = chunk.Where(c => c.Input is not null).ToList();
        var results = await intake.SubmitAsync(tenantId, parsed.Select(c => c.Input!).ToList(), Channel, cancellationToken);
        var outcomes = parsed.Select((c, i) => (c.Row, results[i]))
            .Concat(chunk.Where(c => c.Rejection is not null).Select(c => (c.Row, c.Rejection!)))
            .ToList();
        SurveyMetrics.Count(chunk.Where(c => c.Rejection is not null).Select(c => c.Rejection!), Channel);
        await jobs.RecordAsync(tenantId, questionnaireId, batch, outcomes);
    }

    private static int CheckColumns(CsvDataReader csv, Questionnaire questionnaire)
    {
        var demographics = (questionnaire.Definition.Demographics ?? []).Select(field => field.Code).ToHashSet();
        var unitColumn = -1;
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var name = csv.GetName(i).Trim();
            if (name == UnitColumn)
            {
                unitColumn = i;
            }
            else if (questionnaire.FindQuestion(name) is null && !demographics.Contains(name))
            {
                throw new InvalidDataException($"column '{name}' is neither {UnitColumn}, a question code nor a demographic field");
            }
        }
        return unitColumn >= 0 ? unitColumn : throw new InvalidDataException($"the header has no '{UnitColumn}' column");
    }

    private static (int, ResponseInput?, ItemResult?) ParseRow(CsvDataReader csv, int unitColumn, Questionnaire questionnaire, string id, int row)
    {
        if (csv.RowFieldCount != csv.FieldCount)
        {
            return (row, null, ItemResult.Reject(id, Reasons.MalformedRow, $"Row has {csv.RowFieldCount} fields, the header {csv.FieldCount}."));
        }
        List<AnswerInput> answers = [];
        Dictionary<string, string> profile = [];
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var (name, cell) = (csv.GetName(i).Trim(), csv.GetString(i).Trim());
            if (i == unitColumn || cell.Length == 0)
            {
                continue;
            }
            if (questionnaire.FindQuestion(name) is not { } question)
            {
                profile[name] = cell;
            }
            else if (question.Scale is null)
            {
                answers.Add(new AnswerInput(name, Option: cell));
            }
            else if (decimal.TryParse(cell, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                answers.Add(new AnswerInput(name, Value: value));
            }
            else
            {
                return (row, null, ItemResult.Reject(id, Reasons.AnswerOutsideScale, $"The answer to '{name}' ({cell}) is not a number."));
            }
        }
        var unitCell = csv.GetString(unitColumn).Trim();
        if (!Guid.TryParse(unitCell, out var unitId))
        {
            // Reported as given: read as Guid.Empty it would blame a unit 00000000-... nobody typed.
            return (row, null, ItemResult.Reject(id, Reasons.InvalidUnitId,
                $"Row {row}, column {unitColumn + 1} ({UnitColumn}): '{unitCell}' is not a unit id (a GUID such as 5e7a0000-0000-4000-8000-000000000101)."));
        }
        return (row, new ResponseInput(id, questionnaire.Id, unitId, answers, profile), null);
    }
}
