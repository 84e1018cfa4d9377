package io.ominis.db;

import io.ominis.core.WireValue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row to a record whose components are the table's columns in camel case ({@code read_bit_rate} →
 * {@code readBitRate}), optionally under a column prefix ({@code b_} for the callee leg of {@code detailed_calls}).
 * FreeSWITCH's records mirror its tables one to one, so one mapper serves them all instead of a hand-written
 * constructor call per table that could silently swap two of 38 string columns.
 *
 * <p>A column the result does not have maps to null (0 for {@code int}): {@code detailed_calls} lacks the
 * {@code initial_*} columns of a channel and {@code basic_calls} lacks more. A {@link WireValue} enum is read with
 * {@link WireValue#parseOr} so that a value FreeSWITCH knows and we do not becomes {@code UNKNOWN} instead of failing
 * the read; SQL NULL stays null.
 */
final class RecordRows<T extends Record> implements RowMapper<T> {

    private final Class<T> type;
    private final Class<?>[] types;
    private final String[] columns;
    private final Object[] unknowns;
    private final Constructor<T> constructor;
    private volatile Shape last;

    private RecordRows(Class<T> type, String prefix) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        this.columns = new String[components.length];
        this.unknowns = new Object[components.length];
        this.types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            columns[i] = prefix + snakeCase(components[i].getName());
            types[i] = components[i].getType();
            if (types[i].isEnum() && WireValue.class.isAssignableFrom(types[i])) {
                unknowns[i] = unknown(types[i]);
            }
        }
        try {
            this.constructor = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor on " + type, e);
        }
    }

    /** A mapper reading the columns named after {@code type}'s components. */
    static <T extends Record> RecordRows<T> of(Class<T> type) {
        return new RecordRows<>(type, "");
    }

    /** A mapper reading the columns named after {@code type}'s components, each preceded by {@code prefix}. */
    static <T extends Record> RecordRows<T> prefixed(Class<T> type, String prefix) {
        return new RecordRows<>(type, prefix);
    }

    /** {@code readBitRate} → {@code read_bit_rate}. */
    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public T map(ResultSet rs, StatementContext ctx) throws SQLException {
        return specialize(rs, ctx).map(rs, ctx);
    }

    /** Looks the column positions up once per result set rather than once per row. */
    @Override
    public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
        Shape shape = shape(rs);
        return (row, context) -> build(row, shape);
    }

    /**
     * The column labels and types of a result and, for each component, where its column is (0 for a column the result
     * lacks) and whether it is an {@code Integer} read from an integer column, which {@code getInt} plus
     * {@code wasNull} reads the same as {@code getObject(position, Integer.class)} without pgjdbc's per-call type
     * lookup (a tenth of the time of mapping a channel list in a profile).
     */
    private record Shape(String[] labels, int[] positions, boolean[] plainInts) {
    }

    /**
     * The shape of {@code rs}: the last one again while the columns have the same labels. A mapper serves the fixed
     * statements of its DAOs, whose columns keep their types, so the labels identify the shape; looking the types up
     * again (a synchronized lookup in pgjdbc per column) would cost more than it saves on a one-row read.
     */
    private Shape shape(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        String[] labels = new String[meta.getColumnCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
        }
        Shape last = this.last;
        if (last != null && Arrays.equals(last.labels(), labels)) {
            return last;
        }
        Map<String, Integer> byLabel = new HashMap<>();
        for (int i = labels.length; i >= 1; i--) {
            byLabel.put(labels[i - 1].toLowerCase(Locale.ROOT), i);
        }
        int[] positions = new int[columns.length];
        boolean[] plainInts = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            positions[i] = byLabel.getOrDefault(columns[i], 0);
            int sqlType = positions[i] > 0 ? meta.getColumnType(positions[i]) : Types.NULL;
            plainInts[i] = types[i] == Integer.class && (sqlType == Types.INTEGER || sqlType == Types.SMALLINT);
        }
        Shape shape = new Shape(labels, positions, plainInts);
        this.last = shape;
        return shape;
    }

    /** Every row of {@code rs}, for reads outside Jdbi ({@link JdbcReads}). */
    List<T> all(ResultSet rs) throws SQLException {
        Shape shape = shape(rs);
        List<T> out = new ArrayList<>();
        while (rs.next()) {
            out.add(build(rs, shape));
        }
        return out;
    }

    /** The first row of {@code rs}, or null when it has none. */
    T first(ResultSet rs) throws SQLException {
        return rs.next() ? build(rs, shape(rs)) : null;
    }

    private T build(ResultSet rs, Shape shape) throws SQLException {
        int[] positions = shape.positions();
        boolean[] plainInts = shape.plainInts();
        Object[] args = new Object[types.length];
        for (int i = 0; i < args.length; i++) {
            if (plainInts[i]) {
                int value = rs.getInt(positions[i]);
                args[i] = rs.wasNull() ? null : value;
            } else {
                args[i] = read(rs, positions[i], types[i], unknowns[i]);
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** The {@code UNKNOWN} constant a FreeSWITCH value enum must have to be read leniently. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object unknown(Class<?> enumType) {
        try {
            return Enum.valueOf((Class) enumType, "UNKNOWN");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(enumType.getSimpleName() + " has no UNKNOWN for values FreeSWITCH may write", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Enum<E> & WireValue> E lenient(Class<?> type, String value, Object unknown) {
        Class<E> wireType = (Class<E>) type;
        return WireValue.parseOr(wireType, value, wireType.cast(unknown));
    }

    private static Object read(ResultSet rs, int position, Class<?> target, Object unknown) throws SQLException {
        if (target == int.class) {
            return position == 0 ? 0 : rs.getInt(position);
        }
        if (target == long.class) {
            return position == 0 ? 0L : rs.getLong(position);
        }
        if (target == double.class) {
            return position == 0 ? 0.0 : rs.getDouble(position);
        }
        if (position == 0) {
            return null;
        }
        if (target == String.class) {
            return rs.getString(position);
        }
        if (target == Double.class) {
            // pgjdbc converts numeric (what avg and round give) only through getDouble
            double value = rs.getDouble(position);
            return rs.wasNull() ? null : value;
        }
        if (target == Integer.class || target == Long.class || target == java.time.LocalDateTime.class) {
            return rs.getObject(position, target);
        }
        if (unknown != null) {
            String value = rs.getString(position);
            return value == null ? null : lenient(target, value, unknown);
        }
        throw new IllegalStateException("no column mapping for " + target);
    }
}
