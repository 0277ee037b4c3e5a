using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// Keeps the full output of every run, content-addressed: <c>&lt;sha256&gt;.json</c> is ansible's stdout
/// exactly as printed (the hash the completion message carries), <c>&lt;sha256&gt;.stderr.txt</c> its stderr.
/// </summary>
internal sealed class OutputArchive(string directory)
{
    public string Directory => directory;

    public async Task<(string Sha256, string Path)> StoreAsync(byte[] stdout, byte[] stderr, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(directory);
        var sha = PlaybookHash.Of(stdout);
        var path = System.IO.Path.Combine(directory, sha + ".json");
        await ContentFile.WriteOnceAsync(path, stdout, ct);
        if (stderr.Length > 0)
        {
            await ContentFile.WriteOnceAsync(System.IO.Path.Combine(directory, sha + ".stderr.txt"), stderr, ct);
        }

        return (sha, path);
    }
}
