using System.Diagnostics.CodeAnalysis;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Test classes in this collection share one <see cref="AzuriteFixture"/> (one Azurite for the run).</summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "An xUnit collection definition; the name says so.")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name, for <c>[Collection(AzuriteCollection.Name)]</c>.</summary>
    public const string Name = "Azurite";
}
