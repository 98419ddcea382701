-- Platform tables every service shares the shape of (each in its own database).

-- Inbox: ids of integration messages a consumer has processed, so redelivery changes nothing.
CREATE TABLE inbox_messages (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);

-- Outbox: integration events written in the same transaction as the state change they announce,
-- then published by the dispatcher. The row id becomes the message id, so consumers can deduplicate.
CREATE TABLE outbox_messages (
    id            uuid        PRIMARY KEY,
    message_type  text        NOT NULL,
    body          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz,
    attempts      int         NOT NULL DEFAULT 0,
    last_error    text
);
CREATE INDEX outbox_messages_pending ON outbox_messages (created_at) WHERE dispatched_at IS NULL;

-- Pings received over the broker: the wiring check between services.
CREATE TABLE received_pings (
    ping_id     uuid        PRIMARY KEY,
    from_service text       NOT NULL,
    sent_at     timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
