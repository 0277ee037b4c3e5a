namespace SiemAi.EndToEnd.Tests;

/// <summary>Every path that needs the LLM and CAB stand-ins shares one host: each host costs start time.</summary>
[CollectionDefinition(Name)]
public sealed class StandInCollection : ICollectionFixture<StandInPipelineFixture>
{
    public const string Name = "assembled host with stand-ins for the LLM and the CAB";
}
