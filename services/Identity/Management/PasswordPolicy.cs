using System.Security.Cryptography;

namespace ParPlatform.Identity.Management;

/// <summary>
/// What a password must be: at least <see cref="MinLength"/> characters (NIST SP 800-63B: length over composition
/// rules), not containing the user name, and not one of the common passwords in <c>common-passwords.txt</c>
/// (embedded, so nothing is fetched). One-time passwords are generated to pass it.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    // No 0/O, 1/l/I: the administrator reads one-time passwords out or writes them down.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private static readonly HashSet<string> Common = LoadCommon();

    /// <summary>Why the password is refused (English, for the ProblemDetails' detail), or null when it is acceptable.</summary>
    public static string? Check(string? password, string userName)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            return $"The password must have at least {MinLength} characters.";
        }
        if (password.Length > MaxLength)
        {
            return $"The password must have at most {MaxLength} characters.";
        }
        if (userName.Length >= 3 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not contain the user name.";
        }
        if (userName.Split('.', '@', '_', '-').Any(part => part.Length >= 4 && password.Contains(part, StringComparison.OrdinalIgnoreCase)))
        {
            return "The password must not contain a part of the user name.";
        }
        if (Common.Contains(password) || password.Distinct().Count() <= 2)
        {
            return "The password is too common; choose another.";
        }
        return null;
    }

    /// <summary>A random one-time password of 15 characters in three groups (about 82 bits), e.g. <c>k7Pq2-mXr9T-4hZw8</c>.</summary>
    public static string OneTimePassword(string userName)
    {
        while (true)
        {
            var chars = Enumerable.Range(0, 15).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray();
            var password = $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}-{new string(chars, 10, 5)}";
            if (Check(password, userName) is null)
            {
                return password;
            }
        }
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("ParPlatform.Identity.Management.common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded list of common passwords is missing.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.Trim());
            }
        }
        return set;
    }
}
