package io.mandate.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Query-parameter parsing that answers 400 with the parameter named (JAX-RS itself would answer
 * 404 for a query parameter it cannot convert).
 */
public final class Params {

    private Params() {
    }

    /** The enum constant named {@code value}, null when absent; 400 listing the allowed values otherwise. */
    public static <E extends Enum<E>> E oneOf(Class<E> type, String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw ProblemException.invalid(name, "must be one of " + allowed);
    }
}
