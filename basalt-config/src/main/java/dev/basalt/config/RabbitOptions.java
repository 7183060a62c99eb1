package dev.basalt.config;

/**
 * The options of {@code [oslo_messaging_rabbit]} Basalt uses for its RabbitMQ transport.
 *
 * @param quorumQueues declare the durable queues as quorum queues (replicated across a RabbitMQ cluster)
 */
public record RabbitOptions(boolean quorumQueues) {
    public static final OptionGroup GROUP = new OptionGroup("oslo_messaging_rabbit", "The RabbitMQ transport.");

    public static final Option<Boolean> RABBIT_QUORUM_QUEUE = GROUP.add(Option.of("rabbit_quorum_queue", OptionType.bool(), "false", "Declare the durable queues as quorum queues, which a RabbitMQ cluster replicates."));

    /** Reads {@code [oslo_messaging_rabbit]}. */
    public static RabbitOptions from(ConfigSource source) {
        return new RabbitOptions(source.section(GROUP.section()).get(RABBIT_QUORUM_QUEUE));
    }
}
