using System.Globalization;
using Microsoft.Net.Http.Headers;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Apis;

/// <summary>
/// Optimistic concurrency on item writes: the item's <see cref="AssessmentItem.Version"/> is its entity tag (<c>"7"</c>).
/// A write that sends If-Match is refused (412 <c>item-changed</c>, nothing saved) when the item is no longer at that
/// version; a write without it goes ahead as before. A weak tag (<c>W/"7"</c>) names the same version.
/// </summary>
internal static class ItemVersions
{
    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>
    /// Checked on the item as read inside the write's transaction, under the assessment's row lock; the UPDATE then
    /// compares and sets the version again (<see cref="AssessmentData.UpdateSelfAsync"/>), so no write slips in between.
    /// </summary>
    public static void EnsureMatches(string? ifMatch, AssessmentItem item, int decimals)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return;
        }
        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags) || tags.Count == 0)
        {
            throw SubmissionProblems.InvalidArgument.With($"If-Match must be the item's entity tag, e.g. \"{item.Version}\"; it is {ifMatch}.").ToException();
        }
        // "*" matches any item that exists; a tag that is not a version matches none.
        if (!tags.Any(tag => tag.Tag == "*" || Version(tag) == item.Version))
        {
            throw SubmissionProblems.ItemChanged(item.Shown(decimals));
        }
    }

    /// <summary>The written item's new version as the answer's ETag, for the client's next If-Match.</summary>
    public static void Answer(HttpResponse response, AssessmentItem written) => response.Headers.ETag = ETag(written.Version);

    private static int? Version(EntityTagHeaderValue tag) =>
        int.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
}
