package io.mailferry.core.engine;

import io.mailferry.core.spi.TargetMailbox;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LazyTarget} stands in for the real target: a method it does not override would run the
 * interface's default (often "unsupported") instead of the connector's, as the Gmail label adds
 * did once. Every method of the SPI but {@code observe} (given to the real target when it opens)
 * must be delegated.
 */
class LazyTargetTest {

    @Test
    void everyTargetMailboxMethodIsDelegatedToTheRealTarget() {
        List<String> inherited = Arrays.stream(TargetMailbox.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !m.getName().equals("observe"))
                .filter(m -> declaringClass(m) != LazyTarget.class)
                .map(Method::toGenericString)
                .toList();

        assertThat(inherited).as("TargetMailbox methods LazyTarget does not delegate").isEmpty();
    }

    private static Class<?> declaringClass(Method m) {
        try {
            return LazyTarget.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
