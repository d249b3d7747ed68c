package io.mandate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code application/problem+json}: refused input becomes a 4xx that says
 * what was wrong; anything unexpected is a 500 that says nothing about internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = path(e);
        return respond(Problem.of(400, "unknown_field", "Bad Request", "unknown field: " + field,
                List.of(new Problem.FieldError(field, "unknown field"))));
    }

    /** Declared for the narrower type too, so Quarkus' built-in mapper for it does not win. */
    @ServerExceptionMapper
    public Response wrongValue(MismatchedInputException e) {
        return wrongShape(e);
    }

    @ServerExceptionMapper
    public Response wrongShape(JsonMappingException e) {
        String field = path(e);
        return respond(Problem.of(400, "invalid_json", "Bad Request",
                field.isEmpty() ? "request body has the wrong shape" : "field has the wrong type: " + field,
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, "wrong type"))));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return respond(Problem.of(400, "invalid_json", "Bad Request", "request body is not valid JSON", List.of()));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leaf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(err -> err.field() + ": " + err.message()).collect(Collectors.joining("; "));
        return respond(Problem.of(400, "validation_failed", "Bad Request", detail, errors));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        // The JSON body reader reports what it could not read as a 400 wrapping Jackson's exception.
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (e.getCause() instanceof JsonMappingException shape) {
            return wrongShape(shape);
        }
        if (e.getCause() instanceof JsonProcessingException parse) {
            return malformed(parse);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        String code = title.toLowerCase().replace(' ', '_').replaceAll("[^a-z_]", "");
        String detail = status == 400 && e.getCause() != null ? "request body could not be read" : title;
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, code, title, detail, List.of()));
        copy(original, builder, HttpHeaders.ALLOW);
        copy(original, builder, HttpHeaders.WWW_AUTHENTICATE);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (refusedByTheDatabase(e)) {
            // The last line of defence: a value no check before caught (a date beyond PostgreSQL's range,
            // text it cannot store). The transaction was rolled back, so nothing is half-stored.
            return respond(Problem.of(400, "invalid_value", "Bad Request",
                    "a value in the request is out of range or not storable text", List.of()));
        }
        LOG.error("unexpected failure", e);
        return respond(Problem.of(500, "internal_error", "Internal Server Error",
                "the server failed to handle the request", List.of()));
    }

    /** SQLSTATE class 22 (data exception) anywhere in the causes: the input, not the server, is at fault. */
    static boolean refusedByTheDatabase(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    public static Response respond(Problem problem) {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    private static void copy(Response from, Response.ResponseBuilder to, String header) {
        Object value = from.getHeaders().getFirst(header);
        if (value != null) {
            to.header(header, value);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String leaf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "register.request.ownerEmail" -> "owner_email": callers know wire fields, not Java methods.
        String[] parts = path.split("\\.");
        String leaf = parts.length == 0 ? path : parts[parts.length - 1];
        return leaf.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
