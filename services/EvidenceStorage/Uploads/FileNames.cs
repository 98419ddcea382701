namespace ParPlatform.EvidenceStorage.Uploads;

/// <summary>
/// Names are metadata only (blobs are stored under their hash), but a name still reaches downloaders' disks:
/// anything that could climb directories or hide characters is refused rather than cleaned up.
/// </summary>
public static class FileNames
{
    public static bool IsSafe(string? name) =>
        !string.IsNullOrWhiteSpace(name) &&
        name.Length <= 200 &&
        name == name.Trim() &&
        !name.StartsWith('.') &&
        !name.Contains("..", StringComparison.Ordinal) &&
        name.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) < 0 &&
        !name.Any(char.IsControl) &&
        Path.GetFileName(name) == name;
}
