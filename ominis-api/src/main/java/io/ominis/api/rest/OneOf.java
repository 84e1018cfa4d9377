package io.ominis.api.rest;

import io.ominis.core.WireValue;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says that a text field of a request or response record holds one of the wire values of an enum (an agent's
 * {@code On Break}, an extension's {@code suspended}), so that {@code /openapi.json} lists them: the route parses the
 * field with {@link WireValue#parse}, and the document takes its values from the same enum.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OneOf {

    /** The enum whose {@link WireValue#wire()} values the field takes. */
    Class<? extends WireValue> value();
}
