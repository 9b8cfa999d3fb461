namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>Why a callback exists.</summary>
public enum CallbackReason
{
    /// <summary>The customer asked for a supervisor on a call.</summary>
    SupervisorRequested,

    /// <summary>A medical-emergency warm transfer never connected.</summary>
    MedicalTransferFailed,

    /// <summary>Another channel (web, email, chat) asked for a call back.</summary>
    ChannelRequest,
}
