package dev.basalt.bus;

import static dev.basalt.bus.Recorder.BROKEN;
import static dev.basalt.bus.Recorder.ECHO;
import static dev.basalt.bus.Recorder.FAIL;
import static dev.basalt.bus.Recorder.NOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.basalt.bus.Recorder.Text;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every bus transport does, as Basalt's roles see it. Each transport's test extends this and
 * says how to open a bus; the buses one test opens reach the same queues, as processes sharing a
 * broker do. Every test uses topics of its own; the buses of one test count their messages in one
 * registry, {@link #meters}.
 */
public abstract class BusTransportContract {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** How long a test watches for a message that must not come. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final List<Bus> opened = new ArrayList<>();
    protected final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    protected String topic;
    protected String otherTopic;

    /** A bus of the transport under test, as {@code options} say, counting its messages in {@code registry}. */
    protected abstract Bus openBus(BusOptions options, MeterRegistry registry);

    @BeforeEach
    void topicsOfThisTest() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        topic = "t" + unique;
        otherTopic = "o" + unique;
    }

    @AfterEach
    void closeBuses() {
        Collections.reverse(opened);
        opened.forEach(Bus::close);
    }

    protected Bus bus() {
        return bus(8);
    }

    protected Bus bus(int handlersPerServer) {
        return bus(BusOptions.defaults().withExecutorThreadPoolSize(handlersPerServer));
    }

    protected Bus bus(BusOptions options) {
        Bus bus = openBus(options, meters);
        opened.add(bus);
        return bus;
    }

    /** What a counter, or a timer's count, of {@link #meters} says now (0 before it first counted). */
    protected double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        if (counter != null) {
            return counter.count();
        }
        Timer timer = meters.find(name).tags(tags).timer();
        return timer == null ? 0 : timer.count();
    }

    protected static Recorder serve(Bus bus, String topic, String server) {
        Recorder recorder = Recorder.of(server);
        bus.serve(topic, server, recorder.endpoint());
        return recorder;
    }

    @Test
    void castToTheTopicReachesOneServerAndToAServerOnlyThatServer() {
        Bus bus = bus();
        Recorder a = serve(bus, topic, "a");
        Recorder b = serve(bus, topic, "b");

        bus.cast(Address.anyOf(topic), NOTE, new Text("any"));
        for (int i = 1; i <= 3; i++) {
            bus.cast(Address.of(topic, "b"), NOTE, new Text("for-b-" + i));
        }

        await().atMost(WAIT).until(() -> b.notes.containsAll(List.of("for-b-1", "for-b-2", "for-b-3"))
                && a.notes.size() + b.notes.size() == 4);
        assertThat(a.notes).doesNotContain("for-b-1", "for-b-2", "for-b-3");
        List<String> all = new ArrayList<>(a.notes);
        all.addAll(b.notes);
        assertThat(all).containsOnlyOnce("any");
    }

    @Test
    void aCastSentBeforeAnyServerListensIsDeliveredOnceOneDoes() {
        Bus sender = bus();
        sender.cast(Address.anyOf(topic), NOTE, new Text("to-the-topic"));
        sender.cast(Address.of(topic, "late"), NOTE, new Text("to-the-server"));

        Recorder late = serve(bus(), topic, "late");

        await().atMost(WAIT).until(() -> late.notes.size() == 2);
        assertThat(late.notes).containsExactlyInAnyOrder("to-the-topic", "to-the-server");
    }

    @Test
    void theServersOfATopicShareItsMessagesEachHandledOnce() {
        Recorder a = serve(bus(), topic, "a");
        Recorder b = serve(bus(), topic, "b");
        Bus sender = bus();

        for (int i = 0; i < 20; i++) {
            sender.cast(Address.anyOf(topic), NOTE, new Text("m" + i));
        }

        await().atMost(WAIT).until(() -> a.notes.size() + b.notes.size() >= 20);
        List<String> all = new ArrayList<>(a.notes);
        all.addAll(b.notes);
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
        assertThat(a.notes).isNotEmpty();
        assertThat(b.notes).isNotEmpty();
    }

    @Test
    void aCallGetsTheReplyOfTheServerItAddressed() {
        Bus serving = bus();
        serve(serving, topic, "a");
        serve(serving, topic, "b");
        Bus caller = bus();

        assertThat(caller.call(Address.of(topic, "b"), ECHO, new Text("hi"), WAIT)).isEqualTo(new Text("b:hi"));
        assertThat(caller.call(Address.anyOf(topic), ECHO, new Text("hi"), WAIT).value()).endsWith(":hi");
    }

    @Test
    void manyCallsAtOnceEachGetTheirOwnReply() throws Exception {
        serve(bus(), topic, "a");
        Bus caller = bus();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Text>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Text question = new Text("q" + i);
                replies.add(callers.submit(() -> caller.call(Address.anyOf(topic), ECHO, question, WAIT)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(replies.get(i).get()).isEqualTo(new Text("a:q" + i));
            }
        }
    }

    @Test
    void aCallNobodyAnswersTimesOut() {
        Bus caller = bus();
        assertTimeoutPreemptively(WAIT, () -> assertThatThrownBy(
                () -> caller.call(Address.anyOf(topic), ECHO, new Text("anyone?"), Duration.ofMillis(300)))
                .isInstanceOf(BusTimeoutException.class)
                .satisfies(e -> assertThat(((BasaltException) e).fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE)));
        assertThat(count("basalt.bus.calls.timed.out", "method", ECHO.name())).isEqualTo(1);
    }

    @Test
    void whatIsSentAndHandledIsCountedByMethodKindAndOutcome() {
        Recorder a = serve(bus(), topic, "a");
        Bus sender = bus();

        sender.cast(Address.anyOf(topic), NOTE, new Text("cast"));
        sender.fanout(topic, NOTE, new Text("fanout"));
        assertThat(sender.call(Address.anyOf(topic), ECHO, new Text("hi"), WAIT)).isEqualTo(new Text("a:hi"));
        assertThatThrownBy(() -> sender.call(Address.anyOf(topic), FAIL, new Text("v1"), WAIT))
                .isInstanceOf(BasaltException.class);
        await().atMost(WAIT).until(() -> a.notes.size() == 2
                && count("basalt.bus.messages.handled", "method", NOTE.name(), "outcome", "ok") == 2);

        assertThat(count("basalt.bus.messages.sent", "method", NOTE.name(), "kind", "cast")).isEqualTo(1);
        assertThat(count("basalt.bus.messages.sent", "method", NOTE.name(), "kind", "fanout")).isEqualTo(1);
        assertThat(count("basalt.bus.messages.sent", "method", ECHO.name(), "kind", "call")).isEqualTo(1);
        assertThat(count("basalt.bus.messages.sent", "method", FAIL.name(), "kind", "call")).isEqualTo(1);
        assertThat(count("basalt.bus.messages.handled", "method", ECHO.name(), "outcome", "ok")).isEqualTo(1);
        assertThat(count("basalt.bus.messages.handled", "method", FAIL.name(), "outcome", "failed")).isEqualTo(1);
        assertThat(count("basalt.bus.messages.redelivered")).isZero();
        assertThat(count("basalt.bus.calls.timed.out")).isZero();
    }

    @Test
    void aCallWhoseCallerGaveUpIsNotRunByAServerThatComesLater() throws InterruptedException {
        Bus caller = bus();
        assertThatThrownBy(() -> caller.call(Address.of(topic, "late"), ECHO, new Text("stale"), Duration.ofMillis(200)))
                .isInstanceOf(BusTimeoutException.class);
        Thread.sleep(200);

        Recorder late = serve(bus(), topic, "late");
        caller.cast(Address.of(topic, "late"), NOTE, new Text("after"));

        await().atMost(WAIT).until(() -> late.notes.contains("after"));
        assertThat(late.echoes).hasValue(0);
    }

    @Test
    void aHandlersFaultReachesTheCallerAsTheSameFault() {
        serve(bus(), topic, "a");

        assertThatThrownBy(() -> bus().call(Address.anyOf(topic), FAIL, new Text("v1"), WAIT))
                .isInstanceOfSatisfying(BasaltException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("volume v1 is busy");
                });
    }

    @Test
    void aFailingCastIsNotDeliveredAgainAndTheServerGoesOn() throws InterruptedException {
        Recorder a = serve(bus(), topic, "a");
        Bus sender = bus();

        sender.cast(Address.anyOf(topic), BROKEN, new Text("boom"));
        sender.cast(Address.anyOf(topic), NOTE, new Text("next"));

        await().atMost(WAIT).until(() -> a.notes.contains("next"));
        Thread.sleep(QUIET.toMillis());
        assertThat(a.brokenRuns).hasValue(1);
    }

    @Test
    void aFanoutReachesEveryServerOfItsTopicAndNoOther() throws InterruptedException {
        Bus first = bus();
        Bus second = bus();
        Recorder a = serve(first, topic, "a");
        Recorder b = serve(second, topic, "b");
        Recorder other = serve(second, otherTopic, "c");

        Bus sender = bus();
        sender.fanout(topic, NOTE, new Text("everyone"));
        sender.fanout("nobody" + topic, NOTE, new Text("no listener is fine"));

        await().atMost(WAIT).until(() -> a.notes.contains("everyone") && b.notes.contains("everyone"));
        Thread.sleep(QUIET.toMillis());
        assertThat(a.notes).containsExactly("everyone");
        assertThat(b.notes).containsExactly("everyone");
        assertThat(other.notes).isEmpty();
    }

    @Test
    void aMessageOfAVersionTheServerCannotHandleIsRefusedAndTheCallerSeesIt() {
        serve(bus(), topic, "a");
        Bus caller = bus();
        RpcMethod<Text, Text> nextMajor = RpcMethod.call(ECHO.name(), "2.0", Text.class, Text.class);
        RpcMethod<Text, Text> newerMinor = RpcMethod.call(ECHO.name(), "1.4", Text.class, Text.class);
        RpcMethod<Text, Text> olderMinor = RpcMethod.call(ECHO.name(), "1.0", Text.class, Text.class);

        assertThatThrownBy(() -> caller.call(Address.anyOf(topic), nextMajor, new Text("x"), WAIT))
                .isInstanceOf(BasaltException.class)
                .hasMessageContaining("version 2.0 cannot be handled");
        assertThatThrownBy(() -> caller.call(Address.anyOf(topic), newerMinor, new Text("x"), WAIT))
                .isInstanceOf(BasaltException.class)
                .hasMessageContaining("version 1.4 cannot be handled");
        assertThat(caller.call(Address.anyOf(topic), olderMinor, new Text("x"), WAIT)).isEqualTo(new Text("a:x"));
    }

    @Test
    void aMessageWhoseServerGoesAwayBeforeItsHandlerFinishedGoesToAnotherServer() throws InterruptedException {
        Recorder dying = Recorder.gated("dying");
        Subscription dyingServer = bus().serve(topic, "dying", dying.endpoint());
        bus().cast(Address.anyOf(topic), NOTE, new Text("job"));
        await().atMost(WAIT).until(() -> dying.started.contains("job"));

        Recorder heir = serve(bus(), topic, "heir");
        Thread.sleep(QUIET.toMillis());
        assertThat(heir.notes).as("a message taken and not finished is nobody else's").isEmpty();

        dyingServer.close();

        await().atMost(WAIT).until(() -> heir.notes.contains("job"));
        dying.release();
        assertThat(count("basalt.bus.messages.redelivered", "method", NOTE.name())).isEqualTo(1);
    }

    @Test
    void aServerRunsAtMostItsHandlerLimitAtOnceAndTheRestWaitInTheQueue() throws InterruptedException {
        Recorder busy = Recorder.gated("busy");
        bus(2).serve(topic, "busy", busy.endpoint());
        Bus sender = bus();
        for (int i = 0; i < 6; i++) {
            sender.cast(Address.anyOf(topic), NOTE, new Text("m" + i));
        }

        await().atMost(WAIT).until(() -> busy.running.get() == 2);
        Thread.sleep(QUIET.toMillis());
        assertThat(busy.started).hasSize(2);

        Recorder idle = serve(bus(), topic, "idle");
        await().atMost(WAIT).until(() -> idle.notes.size() == 4);
        busy.release();
        await().atMost(WAIT).until(() -> busy.notes.size() == 2);

        List<String> all = new ArrayList<>(busy.notes);
        all.addAll(idle.notes);
        assertThat(all).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5");
        assertThat(busy.mostRunning).hasValue(2);
    }

    @Test
    void aClosedSubscriptionReceivesNothingMoreAndItsMessagesWait() throws InterruptedException {
        Bus bus = bus();
        Recorder closed = Recorder.of("a");
        bus.serve(topic, "a", closed.endpoint()).close();

        Bus sender = bus();
        sender.cast(Address.of(topic, "a"), NOTE, new Text("to-a"));
        sender.cast(Address.anyOf(topic), NOTE, new Text("to-any"));
        sender.fanout(topic, NOTE, new Text("to-all"));
        Thread.sleep(QUIET.toMillis());
        assertThat(closed.notes).isEmpty();

        Recorder again = serve(bus, topic, "a");
        await().atMost(WAIT).until(() -> again.notes.size() == 2);
        assertThat(again.notes).containsExactlyInAnyOrder("to-a", "to-any");
    }

    @Test
    void aCastWhoseHandlerFailedForAPassingReasonIsDeliveredAgainAndOthersAreNot() {
        Bus bus = bus(BusOptions.defaults().withRedeliverWhen(e -> "passing".equals(e.getMessage())));
        RpcMethod<String, Void> flaky = RpcMethod.cast("flaky", "1.0", String.class);
        RpcMethod<String, Void> broken = RpcMethod.cast("broken", "1.0", String.class);
        java.util.concurrent.atomic.AtomicInteger flakyTries = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger brokenTries = new java.util.concurrent.atomic.AtomicInteger();
        List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        bus.serve(topic, "s1", Endpoint.builder()
                .onCast(flaky, text -> {
                    if (flakyTries.incrementAndGet() < 3) {
                        throw new IllegalStateException("passing");
                    }
                    done.add(text);
                })
                .onCast(broken, text -> {
                    brokenTries.incrementAndGet();
                    throw new IllegalStateException("for good");
                })
                .build());
        bus.cast(Address.anyOf(topic), flaky, "kept");
        bus.cast(Address.anyOf(topic), broken, "dropped");
        await().atMost(WAIT).untilAsserted(() -> assertThat(done).containsExactly("kept"));
        assertThat(flakyTries).hasValue(3);
        assertThat(brokenTries).hasValue(1);
    }
}
