package io.websockex.adapter.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import io.websockex.adapter.WebsockexClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client bean forwards every method of {@link WebsockexClient}, default ones
 * included: a default left unforwarded would answer for the bean instead of the client (a
 * clustered client's {@code role()} would read {@code NONE}).
 */
class ForwardingWebsockexClientTests {

	@Test
	void everyInstanceMethodOfTheInterfaceIsForwarded() {
		for (Method method : WebsockexClient.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			assertThat(declares(ForwardingWebsockexClient.class, method)
					|| declares(WebsockexClientLifecycle.class, method))
				.as("%s is forwarded", method)
				.isTrue();
		}
	}

	private static boolean declares(Class<?> type, Method method) {
		return Arrays.stream(type.getDeclaredMethods())
			.anyMatch((declared) -> declared.getName().equals(method.getName())
					&& Arrays.equals(declared.getParameterTypes(), method.getParameterTypes()));
	}

}
