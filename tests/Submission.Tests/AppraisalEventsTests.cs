using System.Collections.Concurrent;
using Dapper;
using MassTransit;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Testing;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

public sealed class AppraisalEventsTests : PlatformTest
{
    [Fact]
    public async Task AppraisalFinalized_is_published_once_even_when_the_service_dies_between_commit_and_publish()
    {
        // A real consumer on the test broker, bound to the event's exchange like any other service's queue.
        var received = new ConcurrentQueue<ConsumeContext<AppraisalFinalized>>();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(Platform.Infrastructure.MessagingConnectionString));
            rabbit.ReceiveEndpoint($"submission-tests-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<AppraisalFinalized>(context =>
                {
                    received.Enqueue(context);
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            var assessment = await Platform.UnderAppraisalAsync();
            await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 0.5m)).ReadAsync<ItemDto>();
            var database = Platform.Submission!.DatabaseConnectionString;

            // This process commits the finalisation but dies before its dispatcher publishes anything.
            await Platform.Submission!.DisposeAsync();
            Platform.Submission = Platform.StartSubmission(database, withOutboxDispatcher: false);
            await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{assessment.Id}/appraisal/finalize", null))
                .ReadAsync<AssessmentDto>();
            await Platform.Submission!.DisposeAsync();

            await using var connection = new NpgsqlConnection(Platform.Infrastructure.AsSuperuser(database));
            var outboxId = await connection.QuerySingleAsync<Guid>(
                "SELECT id FROM outbox_messages WHERE message_type = 'par.submission.appraisal-finalized.v1' AND dispatched_at IS NULL");
            Assert.DoesNotContain(received, message => message.Message.AssessmentId == assessment.Id);

            // The restarted service finds the committed event and publishes it, once.
            Platform.Submission = Platform.StartSubmission(database);
            var delivered = await Eventually.GetAsync(() =>
                Task.FromResult(received.FirstOrDefault(message => message.Message.AssessmentId == assessment.Id)), what: "AppraisalFinalized");
            Assert.Equal(outboxId, delivered.MessageId);
            Assert.Equal(1, delivered.Message.Revision);
            Assert.Equal(
                [("1.1.1", 0.5m), ("1.1.2", 1.5m), ("2.1.1", 2m), ("2.1.2", -0.25m)],
                delivered.Message.Items.Select(item => (item.SubCriterionCode, item.AppraisedScore)));

            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Single(received, message => message.Message.AssessmentId == assessment.Id);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
