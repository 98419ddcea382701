using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace ParPlatform.Platform.Tests.Deployment;

/// <summary>
/// deploy/kubernetes/base against the AppHost (issue 16): each Deployment hands its service the same configuration keys
/// the AppHost hands it locally, and no other; its network policy lets it reach exactly what the AppHost references;
/// and the base is complete (probes, resources, disruption budgets, secrets, scaling). Reads files and the app model
/// only: no platform, no cluster, no browser.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    /// <summary>
    /// Infrastructure variables, out of scope both ways: their values differ by design between a laptop and a cluster
    /// (ASPNETCORE_ENVIRONMENT is Development locally, Production in the cluster; OTLP export goes to the dashboard
    /// locally). Aspire 13 also hands every reference as <c>CRITERIA_HTTP</c> for clients in other languages; the
    /// platform's .NET service discovery reads only <c>services__criteria__http__0</c>, which is checked.
    /// </summary>
    private static bool IsInfrastructure(string key) =>
        key.StartsWith("OTEL_", StringComparison.Ordinal)
        || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
        || key.StartsWith("DOTNET_", StringComparison.Ordinal)
        || AspireEndpointVariable().IsMatch(key);

    [GeneratedRegex("^[A-Z0-9_]+_(HTTP|GRPC)$")]
    private static partial Regex AspireEndpointVariable();

    /// <summary>The AppHost's N survey workers (survey-worker-1..N) are the one Deployment survey-worker.</summary>
    private static string DeploymentName(string appHostResource) =>
        Regex.Replace(appHostResource, "^(survey-worker)-[0-9]+$", "$1");

    private static KubernetesBase Base => KubernetesBase.Instance;

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, string?>>> AppHostByDeploymentAsync()
    {
        var byDeployment = new Dictionary<string, IReadOnlyDictionary<string, string?>>();
        foreach (var (resource, environment) in await AppHostConfiguration.EnvironmentByProjectAsync())
        {
            var name = DeploymentName(resource);
            if (byDeployment.TryGetValue(name, out var sibling))
            {
                Assert.Equal(sibling.Keys.Order(), environment.Keys.Order()); // every worker gets the same keys
                continue;
            }
            byDeployment[name] = environment;
        }
        return byDeployment;
    }

    private static IList<V1EnvVar> Env(V1Deployment deployment) => deployment.Spec.Template.Spec.Containers.Single().Env ?? [];

    [Fact]
    public async Task Each_deployment_hands_exactly_the_configuration_keys_the_AppHost_hands_its_service()
    {
        var appHost = await AppHostByDeploymentAsync();
        Assert.Equal(appHost.Keys.Order(), Base.Deployments.Select(deployment => deployment.Name()).Order());
        var drift = new List<string>();
        foreach (var (name, environment) in appHost)
        {
            var expected = environment.Keys.Where(key => !IsInfrastructure(key)).ToHashSet();
            var actual = Env(Base.Deployment(name)).Select(variable => variable.Name).Where(key => !IsInfrastructure(key)).ToList();
            drift.AddRange(expected.Except(actual).Order().Select(key => $"{name}: lacks {key}, which the AppHost hands it"));
            drift.AddRange(actual.Except(expected).Order().Select(key => $"{name}: names {key}, which the AppHost does not hand it"));
            drift.AddRange(actual.GroupBy(key => key).Where(group => group.Count() > 1).Select(group => $"{name}: names {group.Key} twice"));
        }
        Assert.True(drift.Count == 0, string.Join(Environment.NewLine, drift));
    }

    [Fact]
    public async Task Plain_settings_that_choose_behaviour_have_the_AppHost_values()
    {
        // Survey__Mode decides what a survey process runs; the other plain values (Seed__Demo, the evidence folder,
        // the public address) are the deployment's own.
        foreach (var (name, environment) in await AppHostByDeploymentAsync())
        {
            if (environment.TryGetValue("Survey__Mode", out var mode))
            {
                Assert.Equal(mode, Env(Base.Deployment(name)).Single(variable => variable.Name == "Survey__Mode").Value);
            }
        }
    }

    [Fact]
    public void Connection_strings_come_from_secrets_that_hold_placeholders()
    {
        var secrets = Base.All<V1Secret>().ToDictionary(secret => secret.Name());
        foreach (var deployment in Base.Deployments)
        {
            foreach (var variable in Env(deployment).Where(variable => variable.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                var reference = variable.ValueFrom?.SecretKeyRef;
                Assert.True(variable.Value is null && reference is not null, $"{deployment.Name()}: {variable.Name} is not a secretKeyRef");
                Assert.True(secrets.TryGetValue(reference.Name, out var secret), $"{deployment.Name()}: no Secret {reference.Name} in the base");
                Assert.True(secret.StringData?.ContainsKey(reference.Key) == true, $"Secret {reference.Name} has no key {reference.Key}");
            }
        }
        // Never a real password in the repository: every credential in the base is the placeholder.
        foreach (var secret in secrets.Values)
        {
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                var credential = key == "password" || value.Contains("Password=", StringComparison.Ordinal) || value.StartsWith("amqp://", StringComparison.Ordinal);
                Assert.True(!credential || value.Contains("CHANGE_ME", StringComparison.Ordinal), $"Secret {secret.Name()} key {key} holds more than a placeholder");
            }
            Assert.Null(secret.Data); // base64 would hide what is committed
        }
    }

    [Fact]
    public void Service_discovery_names_the_kubernetes_services()
    {
        var services = Base.All<V1Service>().ToDictionary(service => service.Name());
        foreach (var deployment in Base.Deployments)
        {
            foreach (var variable in Env(deployment))
            {
                var match = Regex.Match(variable.Name, "^services__(?<service>[a-z-]+)__(?<endpoint>[a-z]+)__0$");
                if (!match.Success)
                {
                    continue;
                }
                var service = services[match.Groups["service"].Value];
                var port = service.Spec.Ports.Single(port => port.Name == match.Groups["endpoint"].Value);
                Assert.Equal($"http://{service.Name()}:{port.Port}", variable.Value);
            }
        }
    }

    [Fact]
    public void The_base_is_yaml_of_known_kinds_and_lists_every_file()
    {
        // Loading (KubernetesBase) already failed on an unknown kind or an unknown field (strict).
        var files = Directory.GetFiles(KubernetesBase.Folder, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(KubernetesBase.Folder, file))
            .Where(file => file != "kustomization.yaml")
            .Order();
        Assert.Equal(files, Base.Kustomization.Resources.Order());
        Assert.Equal("kustomize.config.k8s.io/v1beta1", Base.Kustomization.ApiVersion);
        string[] kinds =
        [
            "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "Secret", "PersistentVolumeClaim",
            "HorizontalPodAutoscaler", "ScaledObject", "TriggerAuthentication", "Cluster", "Database", "RabbitmqCluster",
        ];
        Assert.All(Base.Objects, item => Assert.Contains(item.Kind, kinds));
        Assert.All(Base.Objects, item => Assert.False(string.IsNullOrEmpty(item.Name()), $"a {item.Kind} without a name"));
        Assert.DoesNotContain(Base.Objects.GroupBy(item => (item.Kind, item.Name())), group => group.Count() > 1);
        Assert.All(Base.Objects, item => Assert.Null(item.Namespace())); // the overlay gives the namespace
    }

    [Fact]
    public void Every_deployment_has_probes_resources_a_service_a_disruption_budget_and_a_network_policy()
    {
        var policies = Base.All<V1NetworkPolicy>().ToList();
        foreach (var deployment in Base.Deployments)
        {
            var name = deployment.Name();
            var labels = deployment.Spec.Template.Metadata.Labels;
            Assert.True(KubernetesBase.Selects(deployment.Spec.Selector, labels), $"{name}: its selector misses its own pods");
            foreach (var container in deployment.Spec.Template.Spec.Containers)
            {
                Assert.Equal("/alive", container.LivenessProbe?.HttpGet?.Path);
                Assert.Equal("/health", container.ReadinessProbe?.HttpGet?.Path);
                Assert.Equal("http", container.LivenessProbe!.HttpGet.Port.Value);
                Assert.Equal("http", container.ReadinessProbe!.HttpGet.Port.Value);
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{name}: no {resource} request");
                    Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{name}: no {resource} limit");
                }
            }
            Assert.Single(Base.All<V1Service>(), service => service.Name() == name && service.Spec.Selector.All(pair => labels[pair.Key] == pair.Value));
            Assert.Single(Base.All<V1PodDisruptionBudget>(), budget => KubernetesBase.Selects(budget.Spec.Selector, labels));
            Assert.Contains(policies, policy => policy.Name() == "platform-default-deny" && KubernetesBase.Selects(policy.Spec.PodSelector, labels));
            Assert.Contains(policies, policy => policy.Name() == name && KubernetesBase.Selects(policy.Spec.PodSelector, labels));
        }
    }

    [Fact]
    public async Task Network_policies_follow_who_calls_whom_in_the_AppHost()
    {
        var appHost = await AppHostByDeploymentAsync();
        static IEnumerable<string> Callees(IEnumerable<string> keys) => keys
            .Select(key => Regex.Match(key, "^services__(?<service>[a-z-]+)__")).Where(match => match.Success)
            .Select(match => match.Groups["service"].Value).Distinct();
        var callers = appHost.Keys.ToDictionary(name => name, name => appHost.Where(other => Callees(other.Value.Keys).Contains(name)).Select(other => other.Key).ToHashSet());
        var policies = Base.All<V1NetworkPolicy>().ToDictionary(policy => policy.Name());
        var drift = new List<string>();
        void Same(string what, IEnumerable<string> appHostSide, IEnumerable<string> policySide)
        {
            string[] expected = [.. appHostSide.Order()], actual = [.. policySide.Order()];
            if (!expected.SequenceEqual(actual))
            {
                drift.Add($"{what}: the AppHost says [{string.Join(", ", expected)}], the policy [{string.Join(", ", actual)}]");
            }
        }
        foreach (var (name, environment) in appHost)
        {
            var policy = policies[name];
            var egress = (policy.Spec.Egress ?? []).SelectMany(rule => rule.To ?? []).Select(peer => peer.PodSelector?.MatchLabels ?? new Dictionary<string, string>()).ToList();
            var reachedServices = egress.Select(labels => Label(labels, "app.kubernetes.io/name")).OfType<string>().Where(service => service != "messaging");
            Same($"{name} calls", Callees(environment.Keys), reachedServices);
            var usesDatabase = environment.Keys.Any(key => Regex.IsMatch(key, "^ConnectionStrings__[a-z]+db$"));
            Same($"{name} reaches its database", usesDatabase ? ["yes"] : [], egress.Any(labels => Label(labels, "cnpg.io/cluster") == "postgres") ? ["yes"] : []);
            var usesBroker = environment.ContainsKey("ConnectionStrings__messaging");
            Same($"{name} reaches the broker", usesBroker ? ["yes"] : [], egress.Any(labels => Label(labels, "app.kubernetes.io/name") == "messaging") ? ["yes"] : []);

            var ingress = policy.Spec.Ingress ?? [];
            if (name == "gateway")
            {
                Assert.All(ingress, rule => Assert.Null(rule.FromProperty)); // the public entry: from anywhere
                Assert.NotEmpty(ingress);
                continue;
            }
            var admitted = ingress.SelectMany(rule => rule.FromProperty ?? throw new InvalidOperationException($"{name} admits anyone"))
                .Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]);
            Same($"{name} is called by", callers[name], admitted);
        }
        // The data stores admit exactly their users.
        var databaseUsers = appHost.Where(pair => pair.Value.Keys.Any(key => Regex.IsMatch(key, "^ConnectionStrings__[a-z]+db$"))).Select(pair => pair.Key);
        var brokerUsers = appHost.Where(pair => pair.Value.ContainsKey("ConnectionStrings__messaging")).Select(pair => pair.Key);
        Same("postgres admits", databaseUsers, AdmittedPlatformPods(policies["postgres"], 5432));
        Same("messaging admits", brokerUsers, AdmittedPlatformPods(policies["messaging"], 5672));
        Assert.True(drift.Count == 0, string.Join(Environment.NewLine, drift));
    }

    private static string? Label(IDictionary<string, string> labels, string key) => labels.TryGetValue(key, out var value) ? value : null;

    private static IEnumerable<string> AdmittedPlatformPods(V1NetworkPolicy policy, int port) => policy.Spec.Ingress
        .Where(rule => rule.Ports?.Any(rulePort => rulePort.Port.Value == port.ToString()) == true)
        .SelectMany(rule => rule.FromProperty)
        .Select(peer => peer.PodSelector?.MatchLabels is { } labels ? Label(labels, "app.kubernetes.io/name") : null)
        .OfType<string>();

    [Fact]
    public void Every_database_has_its_own_login_role_and_the_services_their_database()
    {
        var cluster = Assert.Single(Base.All<CnpgCluster>());
        var roles = cluster.Spec.Managed!.Roles.ToDictionary(role => role.Name);
        var secrets = Base.All<V1Secret>().ToDictionary(secret => secret.Name());
        foreach (var database in Base.All<CnpgDatabase>())
        {
            Assert.Equal(cluster.Name(), database.Spec.Cluster.Name);
            var role = roles[database.Spec.Owner];
            Assert.True(role.Login && !role.Superuser && !role.Bypassrls && !role.Createdb && !role.Createrole, $"role {role.Name}");
            Assert.Equal(role.Name, secrets[role.PasswordSecret!.Name].StringData["username"]);
        }
        // Each connection string placeholder names its own database and role on the cluster's read-write service.
        foreach (var secret in secrets.Values)
        {
            foreach (var (key, value) in (secret.StringData ?? new Dictionary<string, string>()).Where(pair => pair.Key.EndsWith("db", StringComparison.Ordinal)))
            {
                var database = key["ConnectionStrings__".Length..^"db".Length];
                Assert.Contains(Base.All<CnpgDatabase>(), item => item.Spec.Name == database && item.Spec.Owner == database);
                Assert.Contains($"Host={cluster.Name()}-rw;", value, StringComparison.Ordinal);
                Assert.Contains($"Database={database};Username={database};", value, StringComparison.Ordinal);
            }
        }
        Assert.Single(Base.All<RabbitmqCluster>(), broker => broker.Name() == "messaging");
    }

    [Fact]
    public void The_survey_api_scales_on_cpu_and_its_workers_on_the_depth_of_the_response_queue()
    {
        var autoscaler = Assert.Single(Base.All<V2HorizontalPodAutoscaler>());
        Assert.Equal("autoscaling/v2", autoscaler.ApiVersion);
        Assert.Equal(("Deployment", "survey"), (autoscaler.Spec.ScaleTargetRef.Kind, autoscaler.Spec.ScaleTargetRef.Name));
        Assert.Equal("cpu", Assert.Single(autoscaler.Spec.Metrics).Resource.Name);
        Assert.Null(Base.Deployment("survey").Spec.Replicas); // the autoscaler owns the count

        var scaled = Assert.Single(Base.All<KedaScaledObject>());
        Assert.Equal("survey-worker", scaled.Spec.ScaleTargetRef.Name);
        Assert.Null(Base.Deployment("survey-worker").Spec.Replicas);
        var trigger = Assert.Single(scaled.Spec.Triggers);
        Assert.Equal("rabbitmq", trigger.Type);
        Assert.Equal("survey-responses", trigger.Metadata["queueName"]); // Survey's IntakeService.ResponsesQueue
        Assert.Equal("QueueLength", trigger.Metadata["mode"]);
        // KEDA reaches the broker with the workers' own connection string.
        var authentication = Base.All<KedaTriggerAuthentication>().Single(item => item.Name() == trigger.AuthenticationRef!.Name);
        var host = Assert.Single(authentication.Spec.SecretTargetRef);
        var workerBroker = Env(Base.Deployment("survey-worker")).Single(variable => variable.Name == "ConnectionStrings__messaging").ValueFrom.SecretKeyRef;
        Assert.Equal(("host", workerBroker.Name, workerBroker.Key), (host.Parameter, host.Name, host.Key));
    }
}
