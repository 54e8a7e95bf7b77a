package io.neighd.api;

import io.neighd.service.EventHub;
import io.neighd.service.ServiceException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.UUID;

/**
 * Turns every failure into an RFC 9457 problem detail with a stable {@code type} from
 * {@link ProblemType}; bad input names the {@code field} (and {@code value}) at fault.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e) {
        return problem(e.type(), e.getMessage(), e.field(), e.value());
    }

    @ExceptionHandler(ServiceException.class)
    ResponseEntity<ProblemDetail> serviceProblem(ServiceException e) {
        ProblemType t = ProblemType.of(e.kind());
        if (t == ProblemType.TOO_MANY_SUBSCRIBERS || t == ProblemType.TOO_MANY_DUMPS
                || t == ProblemType.TOO_MANY_WAITS) {
            long retry = switch (t) {
                case TOO_MANY_DUMPS -> DumpLimit.RETRY_AFTER.toSeconds();
                case TOO_MANY_WAITS -> PendingWaits.RETRY_AFTER.toSeconds();
                default -> EventHub.retryAfter().toSeconds();
            };
            return ResponseEntity.status(t.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(retry))
                    .body(detail(t, e.getMessage(), e.field(), e.value()));
        }
        if (t.status().is5xxServerError()) {
            log.warn("{}: {}", t.slug(), e.getMessage());
        }
        return problem(t, e.getMessage(), e.field(), e.value());
    }

    /**
     * A query string Tomcat cannot decode ({@code ?state=%}): Tomcat throws when the parameters are
     * first read, which is in Spring MVC's argument resolution.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameter(InvalidParameterException e) {
        return problem(ProblemType.INVALID_REQUEST, "the query string is not valid percent-encoded UTF-8: nothing was "
                + "done", null, null);
    }

    /**
     * A bug: logged in full under an incident id, answered with the id only. The class and
     * message of an exception are neighd's internals, and may quote what a client sent.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        String incident = UUID.randomUUID().toString();
        log.error("unexpected failure (incident {})", incident, e);
        return problem(ProblemType.INTERNAL_ERROR, incidentDetail(incident), null, null);
    }

    static String incidentDetail(String incident) {
        return "neighd failed unexpectedly; its log has the details under incident " + incident
                + " (whether the request took effect is not known: read the state before retrying a write)";
    }

    static ResponseEntity<ProblemDetail> problem(ProblemType t, String detail, String field, Object value) {
        return ResponseEntity.status(t.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(detail(t, detail, field, value));
    }

    static ProblemDetail detail(ProblemType t, String detail, String field, Object value) {
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(t.status(), detail);
        pd.setType(t.uri());
        pd.setTitle(t.title());
        if (field != null) {
            pd.setProperty("field", field);
            if (value != null) {
                pd.setProperty("value", value);
            }
        }
        return pd;
    }

    /** A body cut off at neighd.api.max-request-body is too large, not malformed. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable c = ex; c != null; c = c.getCause()) {
            if (c instanceof RequestLimits.BodyTooLarge tooLarge) {
                HttpHeaders h = new HttpHeaders();
                h.setConnection("close");
                ProblemDetail pd = detail(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), null, null);
                return handleExceptionInternal(ex, pd, h, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    /** Spring MVC's own errors (unreadable body, missing or ill-typed parameter, unknown path...). */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemType t = ProblemType.ofStatus(status.value());
        ProblemDetail pd = body instanceof ProblemDetail p ? p : ProblemDetail.forStatus(status);
        pd.setType(t.uri());
        pd.setTitle(t.title());
        if (ex instanceof TypeMismatchException tm && tm.getPropertyName() != null) {
            pd.setProperty("field", tm.getPropertyName());
            pd.setProperty("value", String.valueOf(tm.getValue()));
            pd.setDetail(tm.getPropertyName() + ": '" + tm.getValue() + "' is not "
                    + (tm.getRequiredType() == null ? "valid" : "a valid " + tm.getRequiredType().getSimpleName()));
        } else if (ex instanceof MissingServletRequestParameterException mp) {
            pd.setProperty("field", mp.getParameterName());
            pd.setDetail("query parameter '" + mp.getParameterName() + "' is required");
        } else if (ex instanceof HttpMessageNotReadableException nr) {
            String field = BodyErrors.field(nr);
            if (field != null) {
                pd.setProperty("field", field);
            }
            pd.setDetail(BodyErrors.describe(nr));
        } else if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
            pd.setDetail("no endpoint at "
                    + (request instanceof ServletWebRequest sw ? sw.getRequest().getRequestURI() : "that path"));
        }
        if (pd.getDetail() == null || pd.getDetail().isBlank()) {
            pd.setDetail(t.meaning());
        }
        HttpHeaders h = new HttpHeaders();
        if (headers != null) {
            h.putAll(headers);
        }
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(ex, pd, h, status, request);
    }
}
