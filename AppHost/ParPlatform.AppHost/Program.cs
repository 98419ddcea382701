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
var submission = Service(ResourceNames.Submission, "services/Submission", submissionDb)
    .WithReference(criteria).WithReference(evidence);
var survey = Service(ResourceNames.Survey, "services/Survey", surveyDb)
    .WithReference(criteria);
var ranking = Service(ResourceNames.Ranking, "services/Ranking", rankingDb)
    .WithReference(criteria);

var gateway = builder.AddProject(ResourceNames.Gateway, "gateway")
    .WithEndpoint(ResourceNames.HttpEndpoint, DistributedApplicationBuilder.PortOrFree(options.GatewayHttpPort, 8080))
    .WithEndpoint(ResourceNames.GrpcEndpoint, DistributedApplicationBuilder.PortOrFree(options.GatewayGrpcPort, 8081));
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
