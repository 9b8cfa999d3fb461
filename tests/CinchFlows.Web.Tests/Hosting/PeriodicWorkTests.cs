using CinchFlows.Standalone.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.Web.Tests.Hosting;

/// <summary>The standalone host's timer loop (retention, stuck flows) on a fake clock.</summary>
public sealed class PeriodicWorkTests
{
    [Fact]
    public async Task It_runs_an_interval_after_start_and_every_interval_after_even_when_a_run_fails()
    {
        var clock = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        using var ran = new SemaphoreSlim(0);
        var runs = 0;
        var failures = new List<Exception>();
        var loop = PeriodicWork.RunAsync(
            enabled: true,
            TimeSpan.FromMinutes(5),
            clock,
            _ =>
            {
                var run = Interlocked.Increment(ref runs);
                ran.Release();
                return run == 1 ? Task.FromException(new InvalidOperationException("storage is down")) : Task.CompletedTask;
            },
            disabled: () => throw new InvalidOperationException("It is not switched off."),
            failed: failures.Add,
            stop.Token);

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, Volatile.Read(ref runs));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)), "the first run");
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)), "the run after the failed one");

        Assert.Equal("storage is down", Assert.Single(failures).Message);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Switched_off_it_says_so_and_never_runs()
    {
        var disabled = 0;

        await PeriodicWork.RunAsync(
            enabled: false,
            TimeSpan.FromSeconds(1),
            new FakeTimeProvider(),
            _ => throw new InvalidOperationException("It must not run."),
            disabled: () => disabled++,
            failed: _ => { },
            CancellationToken.None);

        Assert.Equal(1, disabled);
    }
}
