using SiemAi.Testing;
namespace SiemAi.Runner.Tests;

/// <summary>
/// One database for all runner tests, and one ansible run at a time across test classes: the machine is
/// small, and a hang test must not be slowed down by its neighbours.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RunnerCollection : ICollectionFixture<EventStoreDatabase>
{
    public const string Name = "runner";
}
