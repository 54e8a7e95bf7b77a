package io.neighd.api;

import io.neighd.config.NeighdProperties;
import io.neighd.service.ServiceException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * A bound on whole-table answers ({@code GET /api/v1/neighbours} without {@code limit}) served at
 * once: each holds its entries, and then their JSON, until a client that may read slowly has
 * taken it all (about 21 MB per 100,000 entries), and costs a request thread the CPU to write it,
 * which on a 2-core node is CPU the engine thread does not get. Beyond the bound the answer is
 * 503 {@code too-many-dumps} with Retry-After; pages ({@code limit}) are not counted. The slot is
 * held until the answer is written (or the client went), not only while the entries are read.
 * The bound is {@code neighd.api.max-full-dumps} (4 by default).
 */
@Component
class DumpLimit implements WebMvcConfigurer, HandlerInterceptor {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final String HELD = DumpLimit.class.getName() + ".held";

    /** Whole-table answers at once. */
    private final int max;
    private final Semaphore slots;

    @Autowired
    DumpLimit(NeighdProperties props) {
        this(props.api());
    }

    DumpLimit(NeighdProperties.Api api) {
        this.max = api.maxFullDumps();
        this.slots = new Semaphore(max);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/neighbours");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String m = request.getMethod();
        if (!("GET".equals(m) || "HEAD".equals(m)) || request.getParameter("limit") != null) {
            return true;
        }
        if (!slots.tryAcquire()) {
            throw new ServiceException(ServiceException.Kind.TOO_MANY_DUMPS, max + " whole-table "
                    + "listings are being served: page with limit (and cursor), or retry after "
                    + RETRY_AFTER.toSeconds() + " s");
        }
        request.setAttribute(HELD, Boolean.TRUE);
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception ex) {
        if (request.getAttribute(HELD) != null) {
            request.removeAttribute(HELD);
            slots.release();
        }
    }

    int max() {
        return max;
    }

    /** Slots free now (for the tests). */
    int available() {
        return slots.availablePermits();
    }
}
