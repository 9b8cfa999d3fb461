namespace CinchFlows.TelephonySimulator;

/// <summary>How a <see cref="CommandReceiver"/> listens and what it accepts.</summary>
public sealed class CommandReceiverOptions
{
    /// <summary>The <c>whsec_…</c> secrets a command may be signed with (the service's <c>Telephony:CommandSecret</c>); at least one.</summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>The port on 127.0.0.1. Default is 0: a free port, see <see cref="CommandReceiver.Port"/>.</summary>
    public int Port { get; set; }

    /// <summary>How far a command's <c>webhook-timestamp</c> may be from now, either way. Default is 5 minutes.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest body accepted (413 above). Default is 64 KiB.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The clock for freshness checks and receive times. Default is the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
