package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

/**
 * Where a message goes: a topic ({@code scheduler}, {@code volume}) and optionally one server of
 * it ({@code host1@file}). Without a server, any one server of the topic takes the message.
 */
public record Address(String topic, String server) {
    public Address {
        requireNonNull(topic, "topic");
        if (topic.isBlank() || topic.contains(".")) {
            throw new IllegalArgumentException("a topic is a non-blank word without dots: " + topic);
        }
    }

    public static Address anyOf(String topic) {
        return new Address(topic, null);
    }

    public static Address of(String topic, String server) {
        return new Address(topic, requireNonNull(server, "server"));
    }

    /** The queue name a transport uses: {@code topic} or {@code topic.server}. */
    public String queueName() {
        return server == null ? topic : topic + "." + server;
    }

    @Override
    public String toString() {
        return queueName();
    }
}
