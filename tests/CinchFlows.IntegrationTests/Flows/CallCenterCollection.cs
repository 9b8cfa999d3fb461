using System.Diagnostics.CodeAnalysis;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>The end-to-end flow tests: one Azurite for the collection, classes one at a time.</summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "An xUnit collection definition; the name says so.")]
public sealed class CallCenterCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "CallCenter";
}
