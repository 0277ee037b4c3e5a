namespace SiemAi.Safety.Rules;

/// <summary>Matches a command's argv against the declared patterns (<see cref="SafetyOptions.AllowedCommands"/>).</summary>
internal static class CommandPatterns
{
    private static readonly System.Buffers.SearchValues<char> Metacharacters = System.Buffers.SearchValues.Create(";|&$`<>(){}[]*?!~'\"\\\n\r\t ");

    /// <summary>The first pattern the argv matches word for word, or null.</summary>
    public static string? Match(IReadOnlyList<string> argv, IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            var words = pattern.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == argv.Count && words.Zip(argv).All(w => Matches(w.First, w.Second)))
            {
                return pattern;
            }
        }
        return null;
    }

    private static bool Matches(string pattern, string word) => pattern switch
    {
        "*" => word.Length > 0 && !word.StartsWith('-') && word.AsSpan().IndexOfAny(Metacharacters) < 0,
        "{path}" => SensitivePaths.Normalize(word) is { } path && path == word.TrimEnd('/') && word.AsSpan().IndexOfAny(Metacharacters) < 0
            && SensitivePaths.WhyDeleteIsDestructive(path) is null && SensitivePaths.WhyWriteIsSensitive(path, removalOnly: false) is null,
        _ => string.Equals(pattern, word, StringComparison.Ordinal),
    };
}
