package io.mandate.sql;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A row class: public fields named for its table's columns ({@code createdAt} for {@code created_at}),
 * read from a row with {@link #reader} and written by {@link Sql#insert}. Field types: {@code String},
 * {@link Instant}, {@code List<String>} ({@code text[]}), enums (by name), {@code byte[]}, {@code int},
 * {@code short}, {@code long}, {@code boolean} and their boxes.
 */
public final class Fields<T> {

    private static final Map<Class<?>, Fields<?>> KNOWN = new ConcurrentHashMap<>();

    private final Constructor<T> constructor;
    private final List<Field> fields;
    private final List<String> columns;

    private Fields(Class<T> type) {
        try {
            this.constructor = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type + " has no constructor without arguments", e);
        }
        this.fields = Arrays.stream(type.getFields()).filter(f -> !Modifier.isStatic(f.getModifiers())).toList();
        this.columns = fields.stream().map(f -> column(f.getName())).toList();
    }

    @SuppressWarnings("unchecked")
    static <T> Fields<T> of(Class<T> type) {
        return (Fields<T>) KNOWN.computeIfAbsent(type, Fields::new);
    }

    /** Reads each row into a new {@code type}, every public field from its column. */
    public static <T> Sql.Mapper<T> reader(Class<T> type) {
        return of(type)::read;
    }

    /** The column names, in field order, joined for a select list. */
    public static String columns(Class<?> type) {
        return String.join(", ", of(type).columns);
    }

    List<String> columns() {
        return columns;
    }

    Object[] values(Object row) {
        Object[] values = new Object[fields.size()];
        try {
            for (int i = 0; i < values.length; i++) {
                values[i] = fields.get(i).get(row);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    private T read(Row row) throws SQLException {
        try {
            T value = constructor.newInstance();
            for (int i = 0; i < fields.size(); i++) {
                Field field = fields.get(i);
                Object column = read(row, columns.get(i), field.getType());
                if (column != null || !field.getType().isPrimitive()) {
                    field.set(value, column);
                }
            }
            return value;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + constructor.getDeclaringClass(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object read(Row row, String column, Class<?> type) throws SQLException {
        if (type == String.class) {
            return row.string(column);
        } else if (type == Instant.class) {
            return row.instant(column);
        } else if (type == List.class) {
            return row.strings(column);
        } else if (type.isEnum()) {
            return row.enumValue(column, (Class) type);
        } else if (type == byte[].class) {
            return row.bytes(column);
        } else if (type == int.class || type == Integer.class) {
            return row.integer(column);
        } else if (type == short.class || type == Short.class) {
            Integer value = row.integer(column);
            return value == null ? null : value.shortValue();
        } else if (type == long.class || type == Long.class) {
            return row.longValue(column);
        } else if (type == boolean.class || type == Boolean.class) {
            return row.bool(column);
        }
        throw new IllegalArgumentException("no column type for a field of " + type);
    }

    /** {@code createdAt} → {@code created_at}. */
    static String column(String field) {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase();
    }
}
