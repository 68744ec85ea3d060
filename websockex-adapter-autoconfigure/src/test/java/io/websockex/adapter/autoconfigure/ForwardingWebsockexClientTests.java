package io.websockex.adapter.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import io.websockex.adapter.WebsockexClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client bean implements every method of {@link WebsockexClient}, default ones
 * included, itself or through the core's {@code ForwardingClient} (whose forwarding
 * {@code ForwardingClientTests} checks call by call): a default left to the interface
 * would answer for the bean instead of the client (a clustered client's {@code role()}
 * would read {@code NONE}).
 */
class ForwardingWebsockexClientTests {

	@Test
	void everyInstanceMethodOfTheInterfaceIsImplementedByTheBeanClass() throws Exception {
		for (Method method : WebsockexClient.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			Method resolved = WebsockexClientLifecycle.class.getMethod(method.getName(), method.getParameterTypes());
			assertThat(resolved.getDeclaringClass().isInterface()).as("%s is forwarded", method).isFalse();
		}
	}

}
