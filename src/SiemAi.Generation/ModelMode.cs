namespace SiemAi.Generation;

/// <summary>Which path produces playbooks: the template library only, or a remote LLM with the library as fallback.</summary>
public enum ModelMode
{
    Local = 0,
    Remote = 1,
}
