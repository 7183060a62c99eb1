package dev.basalt.glance;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/** A request body that tells {@code sent} how many of its bytes have been handed to the HTTP client so far. */
final class CountingPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher body;
    private final LongConsumer sent;

    CountingPublisher(HttpRequest.BodyPublisher body, LongConsumer sent) {
        this.body = requireNonNull(body, "body");
        this.sent = requireNonNull(sent, "sent");
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Flow.Subscriber<>() {
            private long total;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                long length = item.remaining();
                subscriber.onNext(item);
                total += length;
                sent.accept(total);
            }

            @Override
            public void onError(Throwable failure) {
                subscriber.onError(failure);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
