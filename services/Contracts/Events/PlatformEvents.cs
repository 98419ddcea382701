namespace ParPlatform.Contracts.Events;

// Integration events live here as plain records so every service shares one definition. MassTransit names the
// exchange after the full type name, so renaming or moving a record is a breaking change for consumers.

/// <summary>A wiring check: published by one service, recorded by every service that receives it.</summary>
public sealed record PlatformPing(Guid PingId, string FromService, DateTimeOffset SentAt);
