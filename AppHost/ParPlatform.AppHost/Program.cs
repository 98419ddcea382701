using ParPlatform.Contracts;
using ParPlatform.Hosting.AppModel;

// The app model: PostgreSQL with one database per service, RabbitMQ, five services and the gateway.
// Run with: dotnet run --project AppHost/ParPlatform.AppHost -- [--fresh] (or ./run.sh)
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

var builder = DistributedApplicationBuilder.CreateBuilder(options);

var postgres = builder.AddPostgres(ResourceNames.Postgres);
var criteriaDb = builder.AddDatabase(postgres, ResourceNames.CriteriaDb, "criteria");
var submissionDb = builder.AddDatabase(postgres, ResourceNames.SubmissionDb, "submission");
var evidenceDb = builder.AddDatabase(postgres, ResourceNames.EvidenceDb, "evidence");
var surveyDb = builder.AddDatabase(postgres, ResourceNames.SurveyDb, "survey");
var rankingDb = builder.AddDatabase(postgres, ResourceNames.RankingDb, "ranking");
var identityDb = builder.AddDatabase(postgres, ResourceNames.IdentityDb, "identity");

var messaging = builder.AddRabbitMQ(ResourceNames.Messaging);

ProjectResource Service(string name, string folder, PostgresDatabaseResource database) =>
    builder.AddProject(name, folder)
        .WithEndpoint(ResourceNames.HttpEndpoint)
        .WithEndpoint(ResourceNames.GrpcEndpoint)
        .WithReference(database).WaitFor(database)
        .WithReference(messaging).WaitFor(messaging)
        .WithEnvironment("Seed__Demo", "true"); // the local platform comes with realistic demo data

var identity = Service(ResourceNames.Identity, "services/Identity", identityDb);
var criteria = Service(ResourceNames.Criteria, "services/Criteria", criteriaDb);
var evidence = Service(ResourceNames.EvidenceStorage, "services/EvidenceStorage", evidenceDb)
    .WithEnvironment("EvidenceStorage__Root", Path.Combine(builder.StateFolder, "evidence"));
var submission = Service(ResourceNames.Submission, "services/Submission", submissionDb);
var survey = Service(ResourceNames.Survey, "services/Survey", surveyDb)
    .WithEnvironment("Survey__Mode", "Api");
var ranking = Service(ResourceNames.Ranking, "services/Ranking", rankingDb);

// Who calls whom (gRPC): each reference hands over services__<name>__<endpoint>__0.
submission.WithReference(criteria).WithReference(evidence);
evidence.WithReference(criteria).WithReference(submission); // supplementary uploads after the lock
survey.WithReference(criteria);
ranking.WithReference(criteria);

// Survey intake scales by competing consumers on one queue: the API accepts, N workers store and aggregate.
var surveyWorkers = Enumerable.Range(1, options.SurveyWorkers).Select(index =>
    Service($"{ResourceNames.Survey}-worker-{index}", "services/Survey", surveyDb)
        .WithEnvironment("Survey__Mode", "Worker")
        .WithEnvironment("OTEL_SERVICE_NAME", ResourceNames.Survey)
        .WithReference(criteria)).ToList();

// Every service verifies the caller's token against the identity service's published keys.
foreach (var service in new[] { criteria, evidence, submission, survey, ranking }.Concat(surveyWorkers))
{
    service.WithReference(identity);
}

var gateway = builder.AddProject(ResourceNames.Gateway, "gateway")
    .WithEndpoint(ResourceNames.HttpEndpoint, DistributedApplicationBuilder.PortOrFree(options.GatewayHttpPort, 8080))
    .WithEndpoint(ResourceNames.GrpcEndpoint, DistributedApplicationBuilder.PortOrFree(options.GatewayGrpcPort, 8081));
if (options.GatewayRateLimit is { } rateLimit)
{
    gateway.WithEnvironment("Gateway__RateLimit__PermitLimit", rateLimit.ToString());
}
foreach (var service in new[] { identity, criteria, submission, evidence, survey, ranking })
{
    gateway.WithReference(service).WaitFor(service);
}

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception failure) when (failure is ParPlatform.Hosting.Infrastructure.SetupMissingException or FileNotFoundException)
{
    Console.Error.WriteLine(failure.Message);
    return 1;
}
