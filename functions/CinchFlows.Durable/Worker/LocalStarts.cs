using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Storage.Azure;

namespace CinchFlows.Durable.Worker;

/// <summary>
/// Hands a flow this process's client has just created straight to this process's worker, when a worker polls here
/// (standalone hosting), instead of a wake message through the work queue.
/// </summary>
/// <remarks>
/// A start through the queue costs the client a send and the worker a receive, a read of the new instance and a delete
/// before its first step can run; handed over, the worker steps the instance from the snapshot the client committed.
/// The wake message stays in the instance's outbox until that step commits, so a crash in between loses nothing: the
/// sweeper sends it after <see cref="DurableTaskOptions.OutboxRecoveryAfter"/>, as for any step's undispatched messages.
/// Under the Functions host nothing is attached and every start goes through the queue.
/// </remarks>
public sealed class LocalStarts
{
    private volatile Attachment? attachment;

    /// <summary>Whether a worker takes starts here now.</summary>
    public bool IsAttached => attachment is not null;

    /// <summary>
    /// Gives the start to the attached worker; false when none is attached, it is stopping, its local slots are full or
    /// the start is delayed, and then the caller sends <paramref name="wake"/> through the queue as usual.
    /// </summary>
    internal bool TryHandOff(InstanceSnapshot created, WorkMessage wake) =>
        attachment is { } current && current.Worker.TryStartLocally(created, wake, current.Admission);

    /// <summary>Lets <paramref name="worker"/> take starts (its steps' storage requests through <paramref name="admission"/>) until the returned scope is disposed.</summary>
    internal IDisposable Attach(OrchestrationWorker worker, StorageAdmission? admission)
    {
        var mine = new Attachment(worker, admission);
        attachment = mine;
        return new Detacher(this, mine);
    }

    private sealed record Attachment(OrchestrationWorker Worker, StorageAdmission? Admission);

    private sealed class Detacher(LocalStarts owner, Attachment mine) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref owner.attachment, null, mine);
    }
}
