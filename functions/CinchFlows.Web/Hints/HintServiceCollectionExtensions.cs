using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Hints;

/// <summary>Registers live-transcript hints.</summary>
internal static class HintServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="HintOptions"/> (section <c>Hints</c>, validated at start) and the <see cref="TranscriptHinter"/>; the
    /// hint ledger comes with the flows (<c>AddCallCenterFlows</c>) and the command sender with <c>AddTelephonyCommands</c>.
    /// </summary>
    public static IServiceCollection AddTranscriptHints(this IServiceCollection services)
    {
        services.AddOptions<HintOptions>().BindConfiguration(HintOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HintOptions>, HintOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TranscriptHinter>();
        return services;
    }
}
