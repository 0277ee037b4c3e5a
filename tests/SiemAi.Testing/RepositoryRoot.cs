namespace SiemAi.Testing;

public static class RepositoryRoot
{
    /// <summary>The checkout's root (the folder holding SiemAi.sln), found upward from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SiemAi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SiemAi.sln not found above " + AppContext.BaseDirectory);
    }
}
