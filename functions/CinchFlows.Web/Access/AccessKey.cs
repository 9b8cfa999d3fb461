using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Web.Access;

/// <summary>One API key and the role it grants (an entry of <c>Access:Keys</c>).</summary>
internal sealed class AccessKey
{
    /// <summary>The secret clients send in <c>X-Api-Key</c>. At least 16 characters outside Development.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Key { get; set; } = string.Empty;

    /// <summary>"ops" or "supervisor".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Role { get; set; } = string.Empty;
}
