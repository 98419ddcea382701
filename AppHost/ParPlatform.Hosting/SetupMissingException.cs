namespace ParPlatform.Hosting;

/// <summary>A system package the platform needs is not installed; the message names the command that installs it.</summary>
public sealed class SetupMissingException(string what) : Exception(
    $"{what} is not installed. Run the setup script first: bash scripts/setup.sh (it installs the Debian packages).");
