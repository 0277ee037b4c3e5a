namespace SiemAi.Runner;

/// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
internal static class ContentFile
{
    /// <summary>For content-addressed files: an existing file already holds these bytes.</summary>
    public static async Task WriteOnceAsync(string path, byte[] bytes, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return;
        }

        await ReplaceAsync(path, bytes, ct);
    }

    public static async Task ReplaceAsync(string path, byte[] bytes, CancellationToken ct)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, ct);
        File.Move(temporary, path, overwrite: true);
    }
}
