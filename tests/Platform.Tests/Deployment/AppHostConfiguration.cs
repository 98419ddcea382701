extern alias apphost;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace ParPlatform.Platform.Tests.Deployment;

/// <summary>
/// The configuration keys the real AppHost hands each project, read from its app model without starting anything:
/// the AppHost's Program runs up to <c>builder.Build()</c> (Aspire.Hosting.Testing stops it there), and each project's
/// environment callbacks run as they would for a publish (<see cref="DistributedApplicationOperation.Publish"/>), where
/// a reference to an endpoint or a connection string stays an expression and needs no port, process or server.
/// Only the keys are kept: values (ports, passwords, paths) are the deployment's own.
/// </summary>
public static class AppHostConfiguration
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>> Environments = new(ReadAsync);

    /// <summary>
    /// Project resource name (e.g. <c>survey-worker-1</c>) to its environment: each key with its value where the AppHost
    /// sets a plain string (<c>Survey__Mode</c>), null where it is an expression (a connection string, an endpoint).
    /// </summary>
    public static Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> EnvironmentByProjectAsync() => Environments.Value;

    private static async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> ReadAsync()
    {
        var state = Directory.CreateTempSubdirectory("par-k8s-model-");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            // The AppHost's defaults, as ./run.sh starts it (one survey worker), in a throwaway state folder.
            string[] arguments = ["--state-dir", state.FullName, "--throwaway", "--gateway-http-port", "0", "--gateway-grpc-port", "0"];
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync(
                typeof(apphost::ParPlatform.AppHost.AppHostOptions), arguments, timeout.Token);
            var publish = new DistributedApplicationExecutionContext(
                new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish));
            var environments = new Dictionary<string, IReadOnlyDictionary<string, string?>>();
            foreach (var project in builder.Resources.OfType<ProjectResource>())
            {
                var context = new EnvironmentCallbackContext(publish, project, new Dictionary<string, object>(), timeout.Token);
                foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
                {
                    await callback.Callback(context);
                }
                environments[project.Name] = context.EnvironmentVariables.ToDictionary(
                    variable => variable.Key, variable => variable.Value as string, StringComparer.Ordinal);
            }
            return environments;
        }
        finally
        {
            try
            {
                state.Delete(recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
