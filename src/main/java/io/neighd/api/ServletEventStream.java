package io.neighd.api;

import io.neighd.api.DiagnosticDtos.EventsLost;
import io.neighd.api.NeighbourDtos.Neighbour;
import io.neighd.engine.AddressEvent;
import io.neighd.engine.NeighEvent;
import io.neighd.service.EventHub;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One {@code text/event-stream} response, written with the Servlet API's non-blocking output: a
 * write never holds the hub's delivery thread, a consumer that reads slowly only makes
 * {@link #ready()} false until the container calls back that it can take more. The request
 * thread returns at once; the response stays open (asynchronous, no timeout) until the hub ends
 * the subscription or the client goes.
 */
final class ServletEventStream implements EventHub.Sink, WriteListener, AsyncListener {
    private static final byte[] SUBSCRIBED = ": subscribed\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json;
    private final int hz;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private volatile EventHub.Subscription subscription;
    private volatile AsyncContext async;
    private volatile ServletOutputStream out;
    private boolean greeted;

    ServletEventStream(JsonMapper json, int hz) {
        this.json = json;
        this.hz = hz;
    }

    /** On the request thread, once subscribed: headers, asynchronous mode, the non-blocking listener. */
    void start(EventHub.Subscription sub, HttpServletRequest request, HttpServletResponse response) throws IOException {
        this.subscription = sub;
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no");
            AsyncContext ac = request.startAsync(request, response);
            ac.setTimeout(0);
            ac.addListener(this);
            async = ac;
            ServletOutputStream os = response.getOutputStream();
            os.setWriteListener(this);
            out = os;
        } catch (IOException | RuntimeException e) {
            sub.close();
            throw e;
        }
        sub.writable();
    }

    // ------------------------------------------------------------------ EventHub.Sink (delivery thread)

    @Override
    public boolean ready() {
        ServletOutputStream os = out;
        return os != null && os.isReady();
    }

    @Override
    public void event(NeighEvent e) throws IOException {
        buffer.reset();
        buffer.write(("id:" + e.seq() + "\nevent:" + e.type().name() + "\ndata:").getBytes(StandardCharsets.US_ASCII));
        json.writeValue(buffer, e.entry() != null ? Neighbour.of(e.entry(), hz)
                : e.reply() != null ? ScanDtos.Reply.of(e.reply()) : ScanDtos.Scan.of(e.scan()));
        buffer.write('\n');
        buffer.write('\n');
        out.write(buffer.toByteArray());
    }

    @Override
    public void notice(EventHub.Notice n) throws IOException {
        buffer.reset();
        buffer.write(("event:" + n.name() + "\ndata:").getBytes(StandardCharsets.US_ASCII));
        json.writeValue(buffer, n.data());
        buffer.write('\n');
        buffer.write('\n');
        out.write(buffer.toByteArray());
    }

    @Override
    public void address(AddressEvent e) throws IOException {
        buffer.reset();
        buffer.write(("id:" + e.seq() + "\nevent:" + e.type().name() + "\ndata:").getBytes(StandardCharsets.US_ASCII));
        json.writeValue(buffer, DiagnosticDtos.AddressChange.of(e));
        buffer.write('\n');
        buffer.write('\n');
        out.write(buffer.toByteArray());
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void heartbeat() throws IOException {
        out.write(greeted ? KEEP_ALIVE : SUBSCRIBED);
        greeted = true;
    }

    @Override
    public void lost(EventHub.Lost why) throws IOException {
        buffer.reset();
        buffer.write("event:lost\ndata:".getBytes(StandardCharsets.US_ASCII));
        json.writeValue(buffer, EventsLost.of(why));
        buffer.write('\n');
        buffer.write('\n');
        out.write(buffer.toByteArray());
    }

    @Override
    public void closed() {
        AsyncContext ac = async;
        if (ac != null) {
            try {
                ac.complete();
            } catch (IllegalStateException e) {
                // completed already (the client went, or the container ended the request)
            }
        }
    }

    // ------------------------------------------------------------------ container callbacks

    @Override
    public void onWritePossible() {
        subscription.writable();
    }

    @Override
    public void onError(Throwable t) {
        subscription.close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        subscription.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        subscription.close();
    }

    @Override
    public void onError(AsyncEvent event) {
        subscription.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
