package dev.basalt.bus.rabbit;

import static dev.basalt.bus.Recorder.ECHO;
import static dev.basalt.bus.Recorder.NOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.basalt.bus.Address;
import dev.basalt.bus.Bus;
import dev.basalt.bus.BusOptions;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.bus.Recorder;
import dev.basalt.bus.Recorder.Text;
import dev.basalt.bus.Transports;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.testkit.FreePorts;
import dev.basalt.testkit.RabbitServer;
import dev.basalt.testkit.RabbitServer.QueueInfo;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the RabbitMQ transport has: its layout on the broker, surviving broker restarts, startup errors. */
class RabbitBusTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RabbitServer broker;

    /** Reconnects quickly, so a restart test does not wait long once the broker is back. */
    private final BusOptions options = BusOptions.defaults().withRetryIntervalMax(Duration.ofMillis(500));
    private String topic;

    @BeforeAll
    static void broker() {
        broker = RabbitServer.shared();
    }

    @BeforeEach
    void topicOfThisTest() {
        topic = "r" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Bus open(BusOptions busOptions) {
        return Transports.open(broker.transportUrl(), busOptions);
    }

    private static String urlWith(String user, String password, String host, String virtualHost) {
        return "rabbit://" + user + ":" + password + "@" + host + "/" + virtualHost;
    }

    @Test
    void aServerHasDurableQueuesForItsTopicAndItselfAndAnExclusiveFanoutQueue() {
        try (Bus bus = open(options)) {
            bus.serve(topic, "host1@file", Recorder.of("host1@file").endpoint());

            List<QueueInfo> queues = broker.queues();
            assertThat(queues).filteredOn(q -> q.name().equals(topic)).singleElement()
                    .satisfies(q -> assertThat(q.type()).isEqualTo("classic"))
                    .satisfies(q -> assertThat(q.durable()).isTrue())
                    .satisfies(q -> assertThat(q.consumers()).isEqualTo(1));
            assertThat(queues).filteredOn(q -> q.name().equals(topic + ".host1@file")).singleElement()
                    .satisfies(q -> assertThat(q.durable()).isTrue());
            assertThat(queues).filteredOn(q -> q.name().startsWith(topic + "_fanout_")).singleElement()
                    .satisfies(q -> assertThat(q.exclusive()).isTrue())
                    .satisfies(q -> assertThat(q.durable()).isFalse());
            assertThat(queues).anySatisfy(q -> assertThat(q.name()).startsWith("reply_"));
        }
    }

    @Test
    void withRabbitQuorumQueueTheDurableQueuesAreQuorumQueues() {
        BusOptions quorum = options.withRabbitQuorumQueue(true);
        try (Bus server = open(quorum); Bus client = open(quorum)) {
            Recorder recorder = Recorder.of("a");
            server.serve(topic, "a", recorder.endpoint());

            client.cast(Address.anyOf(topic), NOTE, new Text("over quorum"));
            assertThat(client.call(Address.of(topic, "a"), ECHO, new Text("q"), WAIT)).isEqualTo(new Text("a:q"));
            await().atMost(WAIT).until(() -> recorder.notes.contains("over quorum"));

            assertThat(broker.queue(topic)).get().extracting(QueueInfo::type).isEqualTo("quorum");
            assertThat(broker.queue(topic + ".a")).get().extracting(QueueInfo::type).isEqualTo("quorum");
        }
    }

    @Test
    void switchingRabbitQuorumQueueOnAnExistingQueueIsAClearError() {
        try (Bus classic = open(options); Bus quorum = open(options.withRabbitQuorumQueue(true))) {
            classic.serve(topic, "a", Recorder.of("a").endpoint());

            assertThatThrownBy(() -> quorum.serve(topic, "b", Recorder.of("b").endpoint()))
                    .isInstanceOfSatisfying(BasaltException.class, e -> assertThat(e.fault()).isEqualTo(Fault.INTERNAL))
                    .hasMessageContaining("cannot serve " + topic + ".b")
                    .hasMessageContaining("PRECONDITION_FAILED")
                    .hasMessageContaining("x-queue-type");
        }
    }

    @Test
    void aServerWhoseQueueIsDeletedSubscribesAgain() {
        try (Bus server = open(options); Bus client = open(options)) {
            Recorder recorder = Recorder.of("a");
            server.serve(topic, "a", recorder.endpoint());

            broker.ctl("delete_queue", "-p", broker.virtualHost(), topic);
            await().atMost(WAIT).until(() -> broker.queue(topic).map(q -> q.consumers() == 1).orElse(false));

            assertThat(client.call(Address.anyOf(topic), ECHO, new Text("back"), WAIT)).isEqualTo(new Text("a:back"));
        }
    }

    /**
     * One broker crash (SIGKILL) and restart, seen by a server, a caller, an impatient caller and a
     * cast nobody had consumed yet: all carry on by themselves once the broker is back.
     */
    @Test
    void afterABrokerCrashAndRestartServersAndCallersCarryOnByThemselves() throws Exception {
        try (Bus server = open(options); Bus client = open(options);
                Bus impatient = open(options.withSendTimeout(Duration.ofSeconds(1)))) {
            Recorder recorder = Recorder.of("a");
            server.serve(topic, "a", recorder.endpoint());
            client.cast(Address.anyOf(topic), NOTE, new Text("before"));
            assertThat(client.call(Address.of(topic, "a"), ECHO, new Text("1"), WAIT)).isEqualTo(new Text("a:1"));
            client.cast(Address.of(topic, "later"), NOTE, new Text("kept"));

            CompletableFuture<Void> sentWhileDown;
            broker.kill();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThatThrownBy(
                        () -> impatient.cast(Address.anyOf(topic), NOTE, new Text("given up")))
                        .isInstanceOf(BusTimeoutException.class)
                        .hasMessageContaining("cannot send note 1.0 to " + topic));
                sentWhileDown = CompletableFuture.runAsync(
                        () -> client.cast(Address.anyOf(topic), NOTE, new Text("while down")),
                        Executors.newVirtualThreadPerTaskExecutor());
                Thread.sleep(300);
                assertThat(sentWhileDown).as("a cast waits for the broker").isNotDone();
            } finally {
                broker.start();
            }

            sentWhileDown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            client.cast(Address.anyOf(topic), NOTE, new Text("after"));
            await().atMost(WAIT).until(() -> recorder.notes.containsAll(List.of("while down", "after")));
            assertThat(client.call(Address.of(topic, "a"), ECHO, new Text("2"), WAIT)).isEqualTo(new Text("a:2"));
            // nothing lost; an ack the broker had not written when it was killed lets a message come again,
            // which idempotent handlers allow
            assertThat(recorder.notes).containsOnly("before", "while down", "after");
            assertThat(recorder.notes).containsOnlyOnce("while down", "after");

            Recorder later = Recorder.of("later");
            server.serve(topic, "later", later.endpoint());
            await("a cast the broker confirmed before it crashed").atMost(WAIT).until(() -> later.notes.contains("kept"));
        }
    }

    @Test
    void severalBrokersAreTriedInTurn() {
        String login = broker.user() + ":" + broker.password() + "@";
        String url = "rabbit://" + login + "127.0.0.1:" + FreePorts.next() + "," + login + "127.0.0.1:" + broker.port()
                + "/" + broker.virtualHost();
        try (Bus bus = Transports.open(url, options)) {
            Recorder recorder = Recorder.of("a");
            bus.serve(topic, "a", recorder.endpoint());
            assertThat(bus.call(Address.anyOf(topic), ECHO, new Text("x"), WAIT)).isEqualTo(new Text("a:x"));
        }
    }

    @Test
    void anUnreachableBrokerFailsAtOnceNamingTheOption() {
        int nobody = FreePorts.next();
        String url = urlWith(broker.user(), "s3cret", "127.0.0.1:" + nobody, broker.virtualHost());

        assertStartupFails(url, "[DEFAULT] transport_url = rabbit://basalt:***@127.0.0.1:" + nobody
                + "/basalt: cannot connect to 127.0.0.1:" + nobody + " (Connection refused)");
    }

    @Test
    void aWrongPasswordFailsAtOnceNamingTheOption() {
        String url = urlWith(broker.user(), "wrong-s3cret", "127.0.0.1:" + broker.port(), broker.virtualHost());

        assertStartupFails(url, "[DEFAULT] transport_url = rabbit://basalt:***@127.0.0.1:" + broker.port()
                + "/basalt: access refused: wrong user or password (user 'basalt')");
    }

    @Test
    void anUnknownVirtualHostFailsAtOnceNamingTheOption() {
        String url = urlWith(broker.user(), broker.password(), "127.0.0.1:" + broker.port(), "nowhere");

        assertStartupFails(url, "[DEFAULT] transport_url = rabbit://basalt:***@127.0.0.1:" + broker.port()
                + "/nowhere: virtual host 'nowhere' does not exist or user 'basalt' may not use it");
    }

    private void assertStartupFails(String url, String message) {
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThatThrownBy(() -> Transports.open(url, options))
                .isInstanceOfSatisfying(BasaltException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE))
                .hasMessage(message));
    }
}
