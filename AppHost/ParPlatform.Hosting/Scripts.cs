namespace ParPlatform.Hosting;

/// <summary>The shell scripts of the PostgreSQL resources, embedded in this assembly and written to the state folder
/// (the app models also run inside test processes, whose output folder does not carry them).</summary>
internal static class Scripts
{
    public static string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var assembly = typeof(Scripts).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.EndsWith(".sh", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var path = Path.Combine(folder, resource);
            using (var file = File.Create(path))
            {
                stream.CopyTo(file);
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }
        return folder;
    }
}
