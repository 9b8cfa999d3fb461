using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>Settings of F1, the medical emergency warm transfer (section <c>Flows:MedicalEmergency</c>).</summary>
public sealed class MedicalEmergencyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Flows:MedicalEmergency";

    /// <summary>How long to wait for "transfer connected" before trying again. Default is 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Transfer attempts in all before the supervisor alert and callback. Default is 3.</summary>
    [Range(1, 20)]
    public int TransferAttempts { get; set; } = 3;

    /// <summary>Customer Service's extension. Default is "69187" (x69187).</summary>
    [Required(AllowEmptyStrings = false)]
    public string CustomerServiceExtension { get; set; } = "69187";

    /// <summary>The agent script the prompt names. Default is "medical-emergency" (the Medical Emergency Script).</summary>
    [Required(AllowEmptyStrings = false)]
    public string AgentScript { get; set; } = "medical-emergency";
}
