using System.Text;

namespace ParPlatform.Survey.Intake;

/// <summary>
/// The binary form of a batch of validated responses on the survey's own intake queue (API -> workers; no other
/// service reads it). As a JSON array inside MassTransit's JSON envelope, reading a 1,000-response message took
/// three quarters of a worker's CPU (the envelope is parsed into a document, then the message out of it); this form
/// reads and writes in a single pass. The first byte is the format version, so a queue holding messages of an older
/// version during a rolling upgrade can still be read.
/// </summary>
public static class ResponseBatchCodec
{
    private const byte Version1 = 1;

    public static byte[] Encode(IReadOnlyList<SubmittedResponse> responses)
    {
        using var buffer = new MemoryStream(responses.Count * 512);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version1);
            writer.Write(responses.Count);
            foreach (var r in responses)
            {
                writer.Write(r.ResponseId);
                WriteGuid(writer, r.ReceiptId);
                WriteGuid(writer, r.QuestionnaireId);
                WriteGuid(writer, r.RoundId);
                WriteGuid(writer, r.UnitId);
                writer.Write(r.RespondentGroup);
                writer.Write(r.ContentHash);
                WriteStrings(writer, r.QuestionCodes);
                WriteStrings(writer, r.Answers);
                WriteStrings(writer, r.SubCriteria);
                writer.Write(r.Scores.Length);
                foreach (var score in r.Scores)
                {
                    writer.Write(score);
                }
                writer.Write(r.Profile.Count);
                foreach (var (code, band) in r.Profile)
                {
                    writer.Write(code);
                    writer.Write(band);
                }
                writer.Write(r.Channel);
                writer.Write(r.AcceptedAt.UtcTicks);
            }
        }
        return buffer.ToArray();
    }

    public static IReadOnlyList<SubmittedResponse> Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version1)
        {
            throw new InvalidDataException($"Unknown survey response batch format {version}.");
        }
        var count = reader.ReadInt32();
        var responses = new List<SubmittedResponse>(count);
        for (var i = 0; i < count; i++)
        {
            var responseId = reader.ReadString();
            var receiptId = ReadGuid(reader);
            var questionnaireId = ReadGuid(reader);
            var roundId = ReadGuid(reader);
            var unitId = ReadGuid(reader);
            var respondentGroup = reader.ReadString();
            var contentHash = reader.ReadString();
            var questionCodes = ReadStrings(reader);
            var answers = ReadStrings(reader);
            var subCriteria = ReadStrings(reader);
            var scores = new decimal[reader.ReadInt32()];
            for (var k = 0; k < scores.Length; k++)
            {
                scores[k] = reader.ReadDecimal();
            }
            var profileCount = reader.ReadInt32();
            var profile = new Dictionary<string, string>(profileCount, StringComparer.Ordinal);
            for (var k = 0; k < profileCount; k++)
            {
                profile[reader.ReadString()] = reader.ReadString();
            }
            var channel = reader.ReadString();
            var acceptedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            responses.Add(new SubmittedResponse(responseId, receiptId, questionnaireId, roundId, unitId, respondentGroup, contentHash,
                questionCodes, answers, subCriteria, scores, profile, channel, acceptedAt));
        }
        return responses;
    }

    private static void WriteGuid(BinaryWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes);
        writer.Write(bytes);
    }

    private static void WriteStrings(BinaryWriter writer, string[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader reader)
    {
        var values = new string[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadString();
        }
        return values;
    }

    private static Guid ReadGuid(BinaryReader reader)
    {
        Span<byte> bytes = stackalloc byte[16];
        reader.BaseStream.ReadExactly(bytes);
        return new Guid(bytes);
    }
}
