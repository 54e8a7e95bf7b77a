package io.neighd.api;

import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/**
 * A server-sent event stream, parsed as its lines arrive: {@link #await} waits (bounded) for an
 * event that matches. Opening returns once the response headers arrived, so the subscription
 * exists; closing cancels the body, which closes the connection at once (a reader blocked on a
 * stream would wait for the next chunk).
 */
final class SseStream implements AutoCloseable {
    /** One event: its name, id and JSON data. */
    record Event(String name, String id, JsonNode data) {
        String dst() {
            return data.path("dst").asString();
        }

        String state() {
            return data.path("state").path(0).asString();
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    final int status;
    final String contentType;
    final java.net.http.HttpHeaders headers;

    SseStream(URI uri) throws Exception {
        this(uri, null);
    }

    /** With {@code Authorization: Bearer <token>} unless the token is null. */
    SseStream(URI uri, String token) throws Exception {
        CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().sendAsync(
                (token == null ? HttpRequest.newBuilder(uri) : HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)).header("Accept", "text/event-stream").build(),
                info -> {
                    head.complete(info);
                    return HttpResponse.BodySubscribers.fromLineSubscriber(new Parser());
                });
        HttpResponse.ResponseInfo info = head.get(10, TimeUnit.SECONDS);
        status = info.statusCode();
        contentType = info.headers().firstValue("Content-Type").orElse("");
        headers = info.headers();
    }

    /** text/event-stream, as the HTML living standard defines it (the parts neighd uses). */
    private final class Parser implements Flow.Subscriber<String> {
        private String name = "message";
        private String id;
        private final StringBuilder data = new StringBuilder();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new Event(name, id, ApiClient.JSON.readTree(data.toString())));
                }
                name = "message";
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }

    List<Event> events() {
        return new ArrayList<>(events);
    }

    /** Waits up to 10 s for an event matching {@code p}. */
    Event await(Predicate<Event> p) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> events.stream().filter(p).findFirst().orElse(null), e -> e != null);
    }

    @Override
    public void close() {
        subscription.thenAccept(Flow.Subscription::cancel);
    }
}
