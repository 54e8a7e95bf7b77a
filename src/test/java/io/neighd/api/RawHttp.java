package io.neighd.api;

import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses to send: a raw request line
 * ({@code GET /api/v1/% HTTP/1.1}), oversized or odd headers, bytes that are not UTF-8, a body
 * that does not match its Content-Length. One request per connection ({@code Connection: close}).
 */
final class RawHttp {
    /** A response: status, lower-case header names, body bytes. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String contentType() {
            return header("content-type");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return ApiClient.JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + contentType() + " " + text();
        }
    }

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** Sends {@code request} as is (ISO-8859-1, so every char is one byte) and reads the answer. */
    Response send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    Response send(byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the server may answer and close before it read everything (a body too large): read what it said
            }
            return read(s.getInputStream(), request.length > 5 && new String(request, 0, 5,
                    StandardCharsets.ISO_8859_1).equals("HEAD "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same with a body of raw bytes (which need not be UTF-8, or text at all). */
    static byte[] requestBytes(String method, String target, String headers, byte[] body) {
        byte[] head = request(method, target, (headers == null ? "" : headers + (headers.endsWith("\r\n") ? "" : "\r\n"))
                + "Content-Length: " + body.length, (String) null).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** {@code METHOD target HTTP/1.1} with Host, Connection: close, the given header lines and body. */
    static String request(String method, String target, String headers, String body) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        if (headers != null && !headers.isEmpty()) {
            b.append(headers);
            if (!headers.endsWith("\r\n")) {
                b.append("\r\n");
            }
        }
        if (body != null) {
            b.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        b.append("\r\n");
        if (body != null) {
            b.append(body);
        }
        return b.toString();
    }

    static Response read(InputStream in, boolean head) throws IOException {
        return read(in, head, false);
    }

    /** With {@code wholeStream}, an event stream is read to its end too (else its headers are the answer). */
    static Response read(InputStream in, boolean head, boolean wholeStream) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed without a response");
        }
        String[] parts = status.split(" ", 3);
        int code = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body;
        String type = headers.getOrDefault("content-type", "");
        if (head || !wholeStream && code == 200 && type.startsWith("text/event-stream")) {
            // a stream does not end: its headers are the answer
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                out.write(in.readNBytes(n));
                line(in);
            }
            body = out.toByteArray();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Response(code, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
