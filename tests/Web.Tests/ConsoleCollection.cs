namespace ParPlatform.Web.Tests;

/// <summary>Every browser test class joins this collection: one running platform and one chromium for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
