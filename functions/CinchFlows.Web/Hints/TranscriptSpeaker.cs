namespace CinchFlows.Web.Hints;

/// <summary>Who said a transcript segment.</summary>
internal enum TranscriptSpeaker
{
    /// <summary>The customer: the only speaker hints listen to.</summary>
    Customer,

    /// <summary>The agent.</summary>
    Agent,
}
