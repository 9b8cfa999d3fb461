using System.Diagnostics.CodeAnalysis;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Test classes in this collection share one <see cref="RabbitMqFixture"/> (one RabbitMQ node for the run) and run one at a time.</summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "An xUnit collection definition; the name says so.")]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    /// <summary>The collection's name, for <c>[Collection(RabbitMqCollection.Name)]</c>.</summary>
    public const string Name = "RabbitMQ";
}
