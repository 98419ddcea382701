namespace ParPlatform.Contracts.Events;

// Integration events live here as plain records so every service shares one definition. Each carries a stable
// [MessageName], which the outbox stores, so a message written before a rename or a version bump is still published.
// MassTransit still names the exchange after the full type name: renaming or moving a record remains a breaking
// change for consumers' bindings.

/// <summary>A wiring check: published by one service, recorded by every service that receives it.</summary>
[MessageName("par.platform.ping.v1")]
public sealed record PlatformPing(Guid PingId, string FromService, DateTimeOffset SentAt);
