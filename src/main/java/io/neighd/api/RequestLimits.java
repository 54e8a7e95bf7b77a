package io.neighd.api;

import io.neighd.config.NeighdProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * The documented limits on what one request may carry: {@code neighd.api.max-request-body}
 * bytes of body (checked against Content-Length before anything is read, and counted while a
 * chunked body is read) and {@code neighd.api.max-batch} entries in a batch or knobs in a sysctl
 * write. Beyond either the answer is 413 and nothing is done: a body is bounded before it is
 * parsed into memory, a batch before it reaches the engine.
 */
@Component
final class RequestLimits {
    private final long maxBody;
    private final int maxBatch;

    RequestLimits(NeighdProperties props) {
        this.maxBody = props.api().maxRequestBody().toBytes();
        this.maxBatch = props.api().maxBatch();
    }

    /** Refuses {@code size} entries of {@code field} beyond {@code neighd.api.max-batch}. */
    void batch(String field, String what, int size) {
        if (size > maxBatch) {
            throw new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE, size + " " + what + " is more than neighd.api.max-batch ("
                    + maxBatch + ") allows in one request: split it; nothing was changed", field, size);
        }
    }

    private static String bodyDetail(long max) {
        return "the body is larger than neighd.api.max-request-body (" + max + " bytes): split the request; "
                + "nothing was changed";
    }

    /** Thrown out of a body's stream once it passed the limit; the problem handler answers 413 with its message. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge(long max) {
            super(bodyDetail(max));
        }
    }

    /** Checks Content-Length and counts what is read, ahead of Spring Security and Spring MVC. */
    private final class BodyLimit implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            long length = request.getContentLengthLong();
            if (length > maxBody) {
                // not read: Tomcat closes the connection rather than swallow a large remainder
                HttpServletResponse response = (HttpServletResponse) res;
                response.setHeader("Connection", "close");
                ProblemJson.write(response, request.getMethod(), ProblemType.PAYLOAD_TOO_LARGE, bodyDetail(maxBody),
                        request.getRequestURI(), null);
                return;
            }
            chain.doFilter(length == 0 ? request : new Counted(request), res);
        }
    }

    private final class Counted extends HttpServletRequestWrapper {
        private ServletInputStream in;

        Counted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new LimitedStream(super.getInputStream());
            }
            return in;
        }
    }

    private final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private long read;

        LimitedStream(ServletInputStream in) {
            this.in = in;
        }

        private int count(int n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > maxBody) {
                    throw new BodyTooLarge(maxBody);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener l) {
            in.setReadListener(l);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        /** Right after the error page filter, before Spring Security reads anything. */
        @Bean
        FilterRegistrationBean<Filter> requestBodyLimit(RequestLimits limits) {
            FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>(limits.new BodyLimit());
            r.setDispatcherTypes(DispatcherType.REQUEST);
            r.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
            r.setName("requestBodyLimit");
            return r;
        }
    }
}
