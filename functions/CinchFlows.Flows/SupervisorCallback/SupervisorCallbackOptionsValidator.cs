using Microsoft.Extensions.Options;

namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>Checks that at least one tier is named.</summary>
internal sealed class SupervisorCallbackOptionsValidator : IValidateOptions<SupervisorCallbackOptions>
{
    public ValidateOptionsResult Validate(string? name, SupervisorCallbackOptions options) =>
        options.TierList().Count == 0
            ? ValidateOptionsResult.Fail("Flows:SupervisorCallback:Tiers must name at least one tier, e.g. 'supervisor,manager'.")
            : ValidateOptionsResult.Success;
}
