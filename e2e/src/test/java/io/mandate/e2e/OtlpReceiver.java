package io.mandate.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A trace collector for the tests: receives OTLP/HTTP protobuf exports ({@code POST /v1/traces}) the way
 * a collector would and keeps the spans, read with a small protobuf reader of the fields tests look at.
 * It lives as long as the test JVM, like the platform it listens to.
 */
final class OtlpReceiver {

    /** One exported span. Ids are lowercase hex, as in a {@code traceparent}; kind 2 is SERVER, 5 CONSUMER. */
    record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            List<String> linkedSpanIds) {
    }

    private final HttpServer server;
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                readRequest(ByteBuffer.wrap(body.readAllBytes()));
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException malformed) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private void readRequest(ByteBuffer request) {
        forEachField(request, (field, value) -> {
            if (field == 1) {
                readResourceSpans(value);
            }
        });
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    // Resource { repeated KeyValue attributes = 1; }  ScopeSpans { repeated Span spans = 2; }
    private void readResourceSpans(ByteBuffer resourceSpans) {
        String[] service = {null};
        List<ByteBuffer> scopes = new ArrayList<>();
        forEachField(resourceSpans, (field, value) -> {
            if (field == 1) {
                forEachField(value, (attribute, keyValue) -> {
                    if (attribute == 1 && "service.name".equals(stringField(keyValue.duplicate(), 1))) {
                        service[0] = anyValueString(keyValue.duplicate());
                    }
                });
            } else if (field == 2) {
                scopes.add(value);
            }
        });
        for (ByteBuffer scope : scopes) {
            forEachField(scope, (field, span) -> {
                if (field == 2) {
                    spans.add(readSpan(service[0], span));
                }
            });
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        repeated Link links = 13; }  Link { bytes trace_id = 1; bytes span_id = 2; }
    private static ExportedSpan readSpan(String service, ByteBuffer span) {
        String[] ids = new String[3];
        String[] name = {null};
        int[] kind = {0};
        List<String> links = new ArrayList<>();
        forEachField(span, (field, value) -> {
            switch (field) {
                case 1 -> ids[0] = hex(value);
                case 2 -> ids[1] = hex(value);
                case 4 -> ids[2] = hex(value);
                case 5 -> name[0] = StandardCharsets.UTF_8.decode(value).toString();
                case 6 -> kind[0] = value.get(0);
                case 13 -> forEachField(value, (linkField, linkValue) -> {
                    if (linkField == 2) {
                        links.add(hex(linkValue));
                    }
                });
                default -> {
                }
            }
        });
        return new ExportedSpan(service, ids[0], ids[1], ids[2], name[0], kind[0], links);
    }

    // KeyValue { string key = 1; AnyValue value = 2; }  AnyValue { string string_value = 1; }
    private static String anyValueString(ByteBuffer keyValue) {
        String[] found = {null};
        forEachField(keyValue, (field, value) -> {
            if (field == 2) {
                found[0] = stringField(value, 1);
            }
        });
        return found[0];
    }

    private static String stringField(ByteBuffer message, int wanted) {
        String[] found = {null};
        forEachField(message, (field, value) -> {
            if (field == wanted) {
                found[0] = StandardCharsets.UTF_8.decode(value).toString();
            }
        });
        return found[0];
    }

    private interface FieldVisitor {
        /** A length-delimited field's bytes; a varint field's value as one byte (enums), other types skipped. */
        void field(int number, ByteBuffer value);
    }

    private static void forEachField(ByteBuffer message, FieldVisitor visitor) {
        while (message.hasRemaining()) {
            long key = varint(message);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> visitor.field(number, ByteBuffer.wrap(new byte[] {(byte) varint(message)}));
                case 1 -> message.position(message.position() + 8);
                case 2 -> {
                    int length = (int) varint(message);
                    ByteBuffer value = message.slice(message.position(), length);
                    message.position(message.position() + length);
                    visitor.field(number, value);
                }
                case 5 -> message.position(message.position() + 4);
                default -> throw new IllegalArgumentException("unsupported wire type in field " + number);
            }
        }
    }

    private static long varint(ByteBuffer message) {
        long value = 0;
        for (int shift = 0;; shift += 7) {
            byte b = message.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    private static String hex(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return copy.length == 0 ? null : HexFormat.of().formatHex(copy);
    }
}
