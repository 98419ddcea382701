using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;

namespace ParPlatform.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ from <c>ConnectionStrings__messaging</c> (an amqp:// URI): quorum queues, publisher
    /// confirms, message retry and then the endpoint's <c>_error</c> queue with the exception as the reason.
    /// Delayed redelivery is left out on purpose: it needs the delayed-exchange plugin Debian's broker lacks.
    /// Queues are prefixed with the service name so two services consuming one event each get their own copy.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(ResourceNames.Messaging)
            ?? throw new InvalidOperationException(
                $"Connection string '{ResourceNames.Messaging}' is missing: set ConnectionStrings__{ResourceNames.Messaging}.");

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.4+ reports anonymous usage to its vendor's host on the internet after start-up; nothing in
            // the platform may call out of its own network unasked (tests/Platform.Tests, OutboundConnectionTests).
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.AddConsumer<PingConsumer>();
            configure?.Invoke(bus);

            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
                endpoint.UseMessageRetry(retry => retry.Exponential(
                    5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString), host => host.PublisherConfirmation = true);
                rabbit.ConfigureEndpoints(context);
            });
        });

        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            // Start-up waits for the broker so /health turns ready only once messages can flow.
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddOutbox();
        return builder;
    }
}
