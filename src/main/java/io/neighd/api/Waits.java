package io.neighd.api;

import io.neighd.service.EngineAccess;
import io.neighd.service.ServiceException;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Answers that wait for the network (a resolve, a ping) without holding a request thread: the
 * request goes asynchronous, the thread returns to the pool, and the answer is written when the
 * engine's waiter completes. Each wait is bounded by what the request asked for, plus the
 * engine's own timeouts for the calls around it, so it never outlives that (and never depends on
 * the container's default asynchronous timeout).
 */
final class Waits {
    private Waits() {
    }

    /** {@code f}'s value mapped by {@code answer}, or its problem; given up with a 503 after {@code bound}. */
    static <T, R> DeferredResult<R> deferred(CompletableFuture<T> f, Duration bound, Function<T, R> answer) {
        // the calls around the wait (start, read back) may each take the engine's whole timeout
        long ms = bound.plus(EngineAccess.ENGINE_TIMEOUT.multipliedBy(3)).toMillis();
        // an exception as the result is answered as it would be thrown
        DeferredResult<R> r = new DeferredResult<>(ms, () -> new ServiceException(
                ServiceException.Kind.ENGINE_UNAVAILABLE, "no answer from the engine within " + ms + " ms"));
        f.whenComplete((v, t) -> {
            if (t == null) {
                try {
                    r.setResult(answer.apply(v));
                } catch (RuntimeException e) {
                    r.setErrorResult(e);
                }
            } else {
                r.setErrorResult(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
            }
        });
        return r;
    }
}
