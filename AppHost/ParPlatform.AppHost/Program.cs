using Microsoft.Extensions.DependencyInjection;
using ParPlatform.AppHost;
using ParPlatform.Contracts;
using ParPlatform.Hosting;

// The app model: PostgreSQL with one database (and login role) per service, RabbitMQ, six services, the survey
// intake workers and the gateway, run by .NET Aspire's orchestrator with its dashboard.
// Run with ./run.sh (or: dotnet run --project AppHost/ParPlatform.AppHost -- [--fresh] [--survey-workers N] ...).
AppHostOptions options;
try
{
    options = AppHostOptions.Parse(args);
}
catch (ArgumentException usage)
{
    Console.Error.WriteLine(usage.Message);
    return 2;
}
var state = StateFolder.Prepare(options);
Dashboard.StayOffline();
if (!options.Throwaway)
{
    Dashboard.ConfigureLoopback(options); // the dashboard, its OTLP intake and resource service on 127.0.0.1 only
}

var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = options.AspireArguments,
    DisableDashboard = options.Throwaway,
});

var postgres = builder.AddLocalPostgres(ResourceNames.Postgres, state, options.Throwaway);
var criteriaDb = postgres.AddDatabase(ResourceNames.CriteriaDb, "criteria");
var submissionDb = postgres.AddDatabase(ResourceNames.SubmissionDb, "submission");
var evidenceDb = postgres.AddDatabase(ResourceNames.EvidenceDb, "evidence");
var surveyDb = postgres.AddDatabase(ResourceNames.SurveyDb, "survey");
var rankingDb = postgres.AddDatabase(ResourceNames.RankingDb, "ranking");
var identityDb = postgres.AddDatabase(ResourceNames.IdentityDb, "identity");

var messaging = builder.AddLocalRabbitMq(ResourceNames.Messaging, state);

IResourceBuilder<ProjectResource> Service<TProject>(string name, IResourceBuilder<PostgresDatabaseResource> database, bool usesBroker = true)
    where TProject : IProjectMetadata, new()
{
    var service = builder.AddProject<TProject>(name)
        .AsPlatformService()
        .WithReference(database).WaitFor(database)
        .WithEnvironment("Seed__Demo", "true"); // the local platform comes with realistic demo data
    return usesBroker ? service.WithReference(messaging).WaitFor(messaging) : service;
}

// Identity publishes and consumes no events (AddPlatformService(..., messaging: false)): it neither needs nor waits for the broker.
var identity = Service<Projects.Identity>(ResourceNames.Identity, identityDb, usesBroker: false);
var criteria = Service<Projects.Criteria>(ResourceNames.Criteria, criteriaDb);
var evidence = Service<Projects.EvidenceStorage>(ResourceNames.EvidenceStorage, evidenceDb)
    .WithEnvironment("EvidenceStorage__Root", Path.Combine(state, "evidence"));
var submission = Service<Projects.Submission>(ResourceNames.Submission, submissionDb);
var survey = Service<Projects.Survey>(ResourceNames.Survey, surveyDb)
    .WithEnvironment("Survey__Mode", "Api");
var ranking = Service<Projects.Ranking>(ResourceNames.Ranking, rankingDb);

// Who calls whom (gRPC): each reference hands over services__<name>__http__0 and services__<name>__grpc__0.
submission.WithReference(criteria).WithReference(evidence);
evidence.WithReference(criteria).WithReference(submission); // supplementary uploads after the lock
survey.WithReference(criteria);
ranking.WithReference(criteria);
identity.WithReference(criteria); // is a unit in the tenant and valid this year? (account administration, REST)

// Survey intake scales by competing consumers on one queue: the API accepts, N workers store and aggregate.
var surveyWorkers = Enumerable.Range(1, options.SurveyWorkers).Select(index =>
    Service<Projects.Survey>($"{ResourceNames.Survey}-worker-{index}", surveyDb)
        .WithEnvironment("Survey__Mode", "Worker")
        .WithEnvironment("OTEL_SERVICE_NAME", ResourceNames.Survey)
        .WithReference(criteria)).ToList();

// More survey API processes (scale-out runs): the same API, each its own process and port; the gateway resolves
// "survey" to all of them (service discovery lists each as services__survey__<endpoint>__<n>) and spreads requests.
var moreSurveyApis = Enumerable.Range(2, options.SurveyApis - 1).Select(index =>
    Service<Projects.Survey>($"{ResourceNames.Survey}-api-{index}", surveyDb)
        .WithEnvironment("Survey__Mode", "Api")
        .WithEnvironment("OTEL_SERVICE_NAME", ResourceNames.Survey)
        .WithReference(criteria)).ToList();

// Every service verifies the caller's token against the identity service's published keys.
foreach (var service in new[] { criteria, evidence, submission, survey, ranking }.Concat(surveyWorkers).Concat(moreSurveyApis))
{
    service.WithReference(identity);
}

var gateway = builder.AddProject<Projects.Gateway>(ResourceNames.Gateway)
    .AsPlatformService(httpPort: Ports.OrFree(options.GatewayHttpPort, 8080), grpcPort: Ports.OrFree(options.GatewayGrpcPort, 8081));
if (options.GatewayRateLimit is { } rateLimit)
{
    // Every client's quota, whatever its role: benchmarks and whole-platform tests must not be throttled.
    gateway.WithEnvironment("Gateway__RateLimit__EveryClient", rateLimit.ToString());
}
foreach (var service in new[] { identity, criteria, submission, evidence, survey, ranking })
{
    gateway.WithReference(service).WaitFor(service);
}
foreach (var (api, index) in moreSurveyApis.Select((api, i) => (api, i + 1)))
{
    gateway.WithEnvironment($"services__{ResourceNames.Survey}__{ResourceNames.HttpEndpoint}__{index}", api.GetEndpoint(ResourceNames.HttpEndpoint))
        .WithEnvironment($"services__{ResourceNames.Survey}__{ResourceNames.GrpcEndpoint}__{index}", api.GetEndpoint(ResourceNames.GrpcEndpoint))
        .WaitFor(api);
}
// The web console: the gateway serves it at / (everything not under /api or a gRPC service); it signs users in
// through the identity service and calls the services back through the gateway with each user's own token.
var web = builder.AddProject<Projects.Web>(ResourceNames.Web)
    .AsPlatformService(grpc: false)
    .WithReference(identity).WaitFor(identity);
gateway.WithReference(web).WaitFor(web);
web.WithReference(gateway); // not WaitFor: the gateway waits for the console
// The console's sign-in returns to the gateway's public address, whatever port it was given.
var publicAddress = gateway.GetEndpoint(ResourceNames.HttpEndpoint);
identity.WithEnvironment("Identity__BrowserClients__0__RedirectUris__10", ReferenceExpression.Create($"{publicAddress}/signin-callback"))
    .WithEnvironment("Identity__BrowserClients__0__PostLogoutRedirectUris__10", ReferenceExpression.Create($"{publicAddress}/signout-callback"));

// Discovery asked through the gateway advertises the gateway's address (issue 13), not the identity service's own.
identity.WithEnvironment("Identity__PublicBaseUrl", gateway.GetEndpoint(ResourceNames.HttpEndpoint));

if (options.Throwaway)
{
    // No dashboard (tests and benchmarks), yet Aspire still hands every project an OTLP endpoint (localhost:4317)
    // where nothing listens: each service's exporter then failed every few seconds with an exception and kept
    // retrying from memory (7 % of the gateway's managed CPU in a profile, more outside it). An empty endpoint makes
    // ServiceDefaults export nothing and record no spans (trace context still flows).
    foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
    {
        builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
    }
}

if (options.TraceSampling is { } sampling)
{
    // The OpenTelemetry SDK's own variables: this share of new traces is recorded (and exported to the dashboard);
    // a request that arrives inside a trace follows its caller's decision, so a trace is whole or absent.
    foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
    {
        builder.CreateResourceBuilder(project)
            .WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
            .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", sampling.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

builder.Eventing.Subscribe<BeforeStartEvent>((started, cancellationToken) =>
{
    var lifetime = started.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
    _ = new StartupReport(started.Services, state, options).RunAsync(lifetime.ApplicationStopping);
    return Task.CompletedTask;
});

await builder.Build().RunAsync();
await OrchestratorExit.WaitAsync(TimeSpan.FromSeconds(30));
return 0;
