using SiemAi.Contracts;

namespace SiemAi.Generation;

/// <summary>Turns a <see cref="GeneratePlaybook"/> request into a playbook, or throws <see cref="PlaybookGenerationException"/>.</summary>
public interface IPlaybookGenerator
{
    Task<GeneratedPlaybook> GenerateAsync(GeneratePlaybook request, CancellationToken cancellationToken);
}
