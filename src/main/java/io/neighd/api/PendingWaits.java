package io.neighd.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.config.NeighdProperties;
import io.neighd.service.EngineAccess;
import io.neighd.service.ServiceException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers that wait for the network (a resolve, a ping) without holding a request thread: the
 * request goes asynchronous, the thread returns to the pool, and the answer is written when the
 * engine's waiter completes. Each wait is bounded by what the request asked for, plus the
 * engine's own timeouts for the calls around it, so it never outlives that (and never depends on
 * the container's default asynchronous timeout).
 *
 * <p>How many wait at once is neighd's own bound, {@code neighd.api.max-pending-waits}, not only
 * the server's connections: each wait holds a socket, a timer and an engine waiter (and a ping an
 * ICMP identifier), so beyond the bound a wait is refused before anything starts, 503
 * {@code too-many-waits} with Retry-After, counted in {@code neighd_api_waits_refused_total}.
 */
@Component
class PendingWaits implements MeterBinder {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final int max;
    private final Semaphore slots;
    private final AtomicLong refused = new AtomicLong();

    PendingWaits(NeighdProperties props) {
        this.max = props.api().maxPendingWaits();
        this.slots = new Semaphore(max);
    }

    /**
     * {@code start}'s value mapped by {@code answer}, or its problem; given up with a 503 after
     * {@code bound}. {@code start} is called only once a slot is taken; the slot is given back when
     * the answer is written, however it ends.
     */
    <T, R> DeferredResult<R> deferred(Supplier<CompletableFuture<T>> start, Duration bound, Function<T, R> answer) {
        if (!slots.tryAcquire()) {
            refused.incrementAndGet();
            throw new ServiceException(ServiceException.Kind.TOO_MANY_WAITS, max + " resolves and pings are waiting "
                    + "already (neighd.api.max-pending-waits): retry after " + RETRY_AFTER.toSeconds() + " s");
        }
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.getAndSet(false)) {
                slots.release();
            }
        };
        CompletableFuture<T> f;
        try {
            f = start.get();
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
        // the calls around the wait (start, read back) may each take the engine's whole timeout
        long ms = bound.plus(EngineAccess.ENGINE_TIMEOUT.multipliedBy(3)).toMillis();
        // an exception as the result is answered as it would be thrown
        DeferredResult<R> r = new DeferredResult<>(ms, () -> new ServiceException(
                ServiceException.Kind.ENGINE_UNAVAILABLE, "no answer from the engine within " + ms + " ms"));
        r.onCompletion(release);
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

    /** Waits open now. */
    int pending() {
        return max - slots.availablePermits();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("neighd.api.waits.pending", this, PendingWaits::pending)
                .description("Resolves and pings waiting for the network now (at most neighd.api.max-pending-waits)")
                .register(registry);
        FunctionCounter.builder("neighd.api.waits.refused", refused, AtomicLong::get)
                .description("Resolves and pings refused because neighd.api.max-pending-waits were waiting")
                .register(registry);
    }
}
