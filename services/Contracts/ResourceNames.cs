namespace ParPlatform.Contracts;

/// <summary>
/// Resource names spelled once, shared by the AppHost and the services: they appear identically in configuration
/// keys (<c>ConnectionStrings__criteriadb</c>, <c>services__criteria__grpc__0</c>), logs and traces.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Messaging = "messaging";
    public const string Gateway = "gateway";
    /// <summary>The web console, served by the gateway at <c>/</c>.</summary>
    public const string Web = "web";

    public const string Criteria = "criteria";
    public const string Submission = "submission";
    public const string EvidenceStorage = "evidence-storage";
    public const string Survey = "survey";
    public const string Ranking = "ranking";
    public const string Identity = "identity";

    public const string CriteriaDb = "criteriadb";
    public const string SubmissionDb = "submissiondb";
    public const string EvidenceDb = "evidencedb";
    public const string SurveyDb = "surveydb";
    public const string RankingDb = "rankingdb";
    public const string IdentityDb = "identitydb";

    /// <summary>Endpoint names: REST and health on HTTP/1.1, gRPC on cleartext HTTP/2.</summary>
    public const string HttpEndpoint = "http";
    public const string GrpcEndpoint = "grpc";

    /// <summary>The address a client uses for a service's gRPC endpoint through service discovery.</summary>
    public static string GrpcAddress(string service) => $"http://_{GrpcEndpoint}.{service}";

    /// <summary>The address a client uses for a service's REST endpoint through service discovery.</summary>
    public static string HttpAddress(string service) => $"http://_{HttpEndpoint}.{service}";
}
