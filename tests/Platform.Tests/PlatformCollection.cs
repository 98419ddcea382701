namespace ParPlatform.Platform.Tests;

/// <summary>One running platform shared by the tests that only read it or work in their own round.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
