package io.neighd.api;

import org.apache.catalina.Container;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report, as a problem: what Tomcat answers itself, before any filter or servlet
 * runs (a request line or URL encoding it cannot parse, headers beyond its limit, a method it
 * refuses such as TRACE), in the contract's format instead of its HTML page with the server's
 * name and version. It replaces every ErrorReportValve of the host, Spring Boot's included.
 */
public final class ProblemReportValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean io = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, io);
        if (!io.get()) {
            return;
        }
        ProblemType t = ProblemType.ofContainerStatus(status, request.getMethod());
        String uri = request.getDecodedRequestURI();
        String json = ProblemJson.render(t, t.meaning(), uri == null || uri.isEmpty() ? null : uri, null);
        try {
            response.setStatus(t.status().value());
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer w = response.getReporter();
            if (w != null) {
                w.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was committed meanwhile: nothing more to say
        }
    }

    /** Puts the valve on the host in place of Tomcat's and Spring Boot's error reports. */
    static WebServerFactoryCustomizer<TomcatServletWebServerFactory> customizer() {
        return factory -> factory.addContextCustomizers(context -> install(context.getParent()));
    }

    private static void install(Container parent) {
        if (!(parent instanceof StandardHost host)) {
            return;
        }
        // the host adds a valve of this class at start unless one is there: ours is
        host.setErrorReportValveClass(ProblemReportValve.class.getName());
        boolean present = false;
        for (Valve v : host.getPipeline().getValves()) {
            if (v instanceof ProblemReportValve) {
                present = true;
            } else if (v instanceof ErrorReportValve) {
                host.getPipeline().removeValve(v);
            }
        }
        if (!present) {
            host.getPipeline().addValve(new ProblemReportValve());
        }
    }
}
