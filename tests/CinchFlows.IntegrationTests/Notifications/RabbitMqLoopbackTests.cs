using System.Globalization;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Notifications;

/// <summary>The test broker listens on 127.0.0.1 only: AMQP, Erlang distribution and epmd (a review found distribution on 0.0.0.0).</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqLoopbackTests(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task The_node_listens_on_loopback_only()
    {
        var listening = await ListeningSocketsAsync();
        foreach (var port in new[] { rabbit.Port, rabbit.DistributionPort, rabbit.EpmdPort })
        {
            Assert.Contains(listening, s => s.Port == port);
            Assert.All(listening.Where(s => s.Port == port), s => Assert.True(s.Loopback, $"port {port} listens on {s.Address}"));
        }
    }

    /// <summary>Listening TCP sockets from /proc/net/tcp and tcp6 (no tools needed): address (hex, as the kernel writes it) and port.</summary>
    private static async Task<List<(string Address, int Port, bool Loopback)>> ListeningSocketsAsync()
    {
        const string Listen = "0A";
        var sockets = new List<(string, int, bool)>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in (await File.ReadAllLinesAsync(file)).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 4 || columns[3] != Listen)
                {
                    continue;
                }

                var (address, port) = (columns[1].Split(':')[0], int.Parse(columns[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

                // 127.x.x.x in little-endian hex ends with "7F"; ::1 is all zeros but a final 01000000.
                var loopback = address.Length == 8 ? address.EndsWith("7F", StringComparison.Ordinal) : address == "00000000000000000000000001000000";
                sockets.Add((address, port, loopback));
            }
        }

        return sockets;
    }
}
