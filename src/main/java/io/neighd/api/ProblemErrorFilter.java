package io.neighd.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

import java.io.IOException;
import java.util.UUID;

/**
 * The servlet container's error page, as a problem, ahead of Spring Boot's (and of the actuator's
 * on a separate management port): whatever reached it — a {@code sendError} from a filter, an
 * exception no handler took, a request for {@code /error} itself — is answered as a problem of
 * the type its status stands for. An unexpected failure is logged under an incident id that the
 * answer quotes instead of the exception's class or message.
 */
final class ProblemErrorFilter implements Filter {
    private static final Logger log = LoggerFactory.getLogger(ProblemErrorFilter.class);
    static final String ERROR_PATH = "/error";

    /** First of all filters, on requests and on the container's error dispatches. */
    static FilterRegistrationBean<ProblemErrorFilter> registration(String name) {
        FilterRegistrationBean<ProblemErrorFilter> r = new FilterRegistrationBean<>(new ProblemErrorFilter());
        r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        r.setOrder(Ordered.HIGHEST_PRECEDENCE);
        r.setName(name);
        return r;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            error(request, response);
        } else if (ERROR_PATH.equals(request.getRequestURI())) {
            ProblemJson.write(response, request.getMethod(), ProblemType.NOT_FOUND, "no endpoint at " + ERROR_PATH,
                    ERROR_PATH, null);
        } else {
            chain.doFilter(req, res);
        }
    }

    private static void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        int status = code instanceof Integer i ? i : 500;
        ProblemType t = ProblemType.ofContainerStatus(status, request.getMethod());
        String detail = t.meaning();
        if (t == ProblemType.INTERNAL_ERROR) {
            String incident = UUID.randomUUID().toString();
            log.error("unexpected failure (incident {}) answering {} {}", incident, request.getMethod(), uri,
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
            detail = ProblemHandler.incidentDetail(incident);
        }
        response.reset();
        ProblemJson.write(response, request.getMethod(), t, detail, uri, null);
    }
}
