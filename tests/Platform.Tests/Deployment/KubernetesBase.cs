using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests.Deployment;

/// <summary>
/// deploy/kubernetes/base as KubernetesClient's typed models: every file its kustomization.yaml lists, read with
/// <see cref="KubernetesYaml.LoadAllFromString"/>. The operators' kinds (CloudNativePG, RabbitMQ, KEDA) are mapped to
/// the small models below; any other kind fails the load.
/// </summary>
public sealed class KubernetesBase
{
    public static string Folder { get; } = Path.Combine(AppHostRun.RepositoryRoot, "deploy", "kubernetes", "base");

    public static IReadOnlyDictionary<string, Type> CustomKinds { get; } = new Dictionary<string, Type>
    {
        ["postgresql.cnpg.io/v1/Cluster"] = typeof(CnpgCluster),
        ["postgresql.cnpg.io/v1/Database"] = typeof(CnpgDatabase),
        ["rabbitmq.com/v1beta1/RabbitmqCluster"] = typeof(RabbitmqCluster),
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(KedaScaledObject),
        ["keda.sh/v1alpha1/TriggerAuthentication"] = typeof(KedaTriggerAuthentication),
    };

    private static readonly Lazy<KubernetesBase> Loaded = new(() => new KubernetesBase());

    public static KubernetesBase Instance => Loaded.Value;

    private KubernetesBase()
    {
        Kustomization = KubernetesYaml.Deserialize<Kustomization>(File.ReadAllText(Path.Combine(Folder, "kustomization.yaml")));
        foreach (var resource in Kustomization.Resources)
        {
            var objects = KubernetesYaml.LoadAllFromString(
                File.ReadAllText(Path.Combine(Folder, resource)), CustomKinds.ToDictionary(), strict: true);
            ObjectsByFile[resource] = objects.Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        }
    }

    public Kustomization Kustomization { get; }

    public Dictionary<string, List<IKubernetesObject<V1ObjectMeta>>> ObjectsByFile { get; } = [];

    public IEnumerable<IKubernetesObject<V1ObjectMeta>> Objects => ObjectsByFile.Values.SelectMany(objects => objects);

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public IReadOnlyList<V1Deployment> Deployments => [.. All<V1Deployment>()];

    public V1Deployment Deployment(string name) => Deployments.Single(deployment => deployment.Name() == name);

    /// <summary>Whether a label selector (matchLabels and matchExpressions) selects pods with these labels.</summary>
    public static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels)
    {
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>())
            .All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(expression => expression.OperatorProperty switch
        {
            "In" => labels.TryGetValue(expression.Key, out var value) && expression.Values.Contains(value),
            "NotIn" => !labels.TryGetValue(expression.Key, out var value) || !expression.Values.Contains(value),
            "Exists" => labels.ContainsKey(expression.Key),
            "DoesNotExist" => !labels.ContainsKey(expression.Key),
            var other => throw new InvalidOperationException($"Unknown selector operator {other}"),
        });
        return byLabels && byExpressions;
    }
}

public sealed class Kustomization
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("resources")] public List<string> Resources { get; set; } = [];
}

/// <summary>An operator's resource: only its spec's shape differs.</summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta> where TSpec : new()
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public TSpec Spec { get; set; } = new();
}

/// <summary>An operator spec the tests read nothing of but its presence.</summary>
public sealed class AnySpec : Dictionary<string, object>;

public sealed class CnpgCluster : CustomResource<CnpgClusterSpec>;

public sealed class CnpgClusterSpec
{
    [JsonPropertyName("instances")] public int Instances { get; set; }
    [JsonPropertyName("postgresql")] public Dictionary<string, object>? Postgresql { get; set; }
    [JsonPropertyName("storage")] public Dictionary<string, object>? Storage { get; set; }
    [JsonPropertyName("resources")] public V1ResourceRequirements? Resources { get; set; }
    [JsonPropertyName("managed")] public CnpgManaged? Managed { get; set; }
}

public sealed class CnpgManaged
{
    [JsonPropertyName("roles")] public List<CnpgRole> Roles { get; set; } = [];
}

public sealed class CnpgRole
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("ensure")] public string? Ensure { get; set; }
    [JsonPropertyName("login")] public bool Login { get; set; }
    [JsonPropertyName("superuser")] public bool Superuser { get; set; }
    [JsonPropertyName("createdb")] public bool Createdb { get; set; }
    [JsonPropertyName("createrole")] public bool Createrole { get; set; }
    [JsonPropertyName("bypassrls")] public bool Bypassrls { get; set; }
    [JsonPropertyName("inherit")] public bool Inherit { get; set; }
    [JsonPropertyName("passwordSecret")] public V1LocalObjectReference? PasswordSecret { get; set; }
}

public sealed class CnpgDatabase : CustomResource<CnpgDatabaseSpec>;

public sealed class CnpgDatabaseSpec
{
    [JsonPropertyName("cluster")] public V1LocalObjectReference Cluster { get; set; } = new();
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
}

public sealed class RabbitmqCluster : CustomResource<AnySpec>;

public sealed class KedaScaledObject : CustomResource<KedaScaledObjectSpec>;

public sealed class KedaScaledObjectSpec
{
    [JsonPropertyName("scaleTargetRef")] public V1LocalObjectReference ScaleTargetRef { get; set; } = new();
    [JsonPropertyName("minReplicaCount")] public int? MinReplicaCount { get; set; }
    [JsonPropertyName("maxReplicaCount")] public int? MaxReplicaCount { get; set; }
    [JsonPropertyName("pollingInterval")] public int? PollingInterval { get; set; }
    [JsonPropertyName("cooldownPeriod")] public int? CooldownPeriod { get; set; }
    [JsonPropertyName("triggers")] public List<KedaTrigger> Triggers { get; set; } = [];
}

public sealed class KedaTrigger
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("metadata")] public Dictionary<string, string> Metadata { get; set; } = [];
    [JsonPropertyName("authenticationRef")] public V1LocalObjectReference? AuthenticationRef { get; set; }
}

public sealed class KedaTriggerAuthentication : CustomResource<KedaTriggerAuthenticationSpec>;

public sealed class KedaTriggerAuthenticationSpec
{
    [JsonPropertyName("secretTargetRef")] public List<KedaSecretTarget> SecretTargetRef { get; set; } = [];
}

public sealed class KedaSecretTarget
{
    [JsonPropertyName("parameter")] public string Parameter { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("key")] public string Key { get; set; } = "";
}
