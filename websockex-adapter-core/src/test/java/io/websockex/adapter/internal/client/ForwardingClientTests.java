package io.websockex.adapter.internal.client;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ForwardingClient} hands every method of {@link WebsockexClient} to its delegate,
 * default ones included, with the caller's arguments, and returns the delegate's answer:
 * a default left unforwarded would answer for the wrapper instead of the client (a
 * clustered client's {@code role()} would read {@code NONE}).
 */
class ForwardingClientTests {

	@Test
	void everyInstanceMethodOfTheInterfaceReachesTheDelegateWithItsArgumentsAndAnswer() throws Exception {
		List<String> calls = new ArrayList<>();
		// A recording stand-in for the client, not for the transport: each call answers
		// with an object that says which call it was.
		WebsockexClient delegate = (WebsockexClient) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { WebsockexClient.class }, (proxy, method, args) -> {
					calls.add(method.getName() + Arrays.deepToString((args != null) ? args : new Object[0]));
					return answerFor(method);
				});
		WebsockexClient forwarding = new ForwardingClient(delegate) {
		};
		for (Method method : WebsockexClient.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			Object[] args = argumentsFor(method);
			calls.clear();
			Object answer = method.invoke(forwarding, args);
			assertThat(calls).as("%s is forwarded once, with its arguments", method)
				.containsExactly(method.getName() + Arrays.deepToString(args));
			if (method.getReturnType().isPrimitive()) {
				// Boxed again on the way back: compare values.
				assertThat(answer).as("%s returns the delegate's answer", method).isEqualTo(answerFor(method));
			}
			else {
				assertThat(answer).as("%s returns the delegate's answer", method).isSameAs(answerFor(method));
			}
		}
	}

	// One answer per method, so that an answer handed back by the wrong call is caught.
	private static final Map<Method, Object> answers = new ConcurrentHashMap<>();

	private static @Nullable Object answerFor(Method method) {
		return (method.getReturnType() == void.class) ? null
				: answers.computeIfAbsent(method, (key) -> newAnswer(key.getReturnType(), key.getName()));
	}

	private static Object newAnswer(Class<?> type, String name) {
		if (type == String.class) {
			return new String(name);
		}
		if (type == Mono.class) {
			return Mono.just(name);
		}
		if (type == Flux.class) {
			return Flux.just(name);
		}
		if (type == Set.class) {
			return Set.of(name);
		}
		if (type == List.class) {
			return List.of(name);
		}
		if (type == double.class) {
			// Not 0 or 1, which a default could answer on its own.
			return (name.length() % 7 + 1) / 10.0;
		}
		if (type == Disposable.class) {
			return Disposables.single();
		}
		if (type == Instant.class) {
			return Instant.ofEpochSecond(name.hashCode());
		}
		if (type == Config.class) {
			return Config.builder("ws://127.0.0.1:1/" + name).build();
		}
		if (type.isEnum()) {
			return type.getEnumConstants()[type.getEnumConstants().length - 1];
		}
		if (type.isRecord()) {
			return blankRecord(type);
		}
		throw new IllegalStateException("no test answer for " + type + ": add one");
	}

	private static Object blankRecord(Class<?> type) {
		RecordComponent[] components = type.getRecordComponents();
		Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
		Object[] values = Arrays.stream(types).map(ForwardingClientTests::blank).toArray();
		try {
			return type.getDeclaredConstructor(types).newInstance(values);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static @Nullable Object blank(Class<?> type) {
		if (type == boolean.class) {
			return false;
		}
		if (type == int.class) {
			return 0;
		}
		if (type == long.class) {
			return 0L;
		}
		if (type.isEnum()) {
			return type.getEnumConstants()[0];
		}
		return null;
	}

	// Arguments that say which parameter they were passed as.
	private static Object[] argumentsFor(Method method) {
		Class<?>[] types = method.getParameterTypes();
		Object[] args = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			args[i] = argument(types[i], method.getName() + i);
		}
		return args;
	}

	private static Object argument(Class<?> type, String label) {
		if (type == String.class || type == Object.class) {
			return label;
		}
		if (type == String[].class) {
			return new String[] { label, label + "'" };
		}
		if (type == byte[].class) {
			return label.getBytes(StandardCharsets.UTF_8);
		}
		if (type == ObjectNode.class) {
			return JsonNodeFactory.instance.objectNode().put("label", label);
		}
		if (type == Consumer.class) {
			return (Consumer<Object>) (value) -> {
			};
		}
		throw new IllegalStateException("no test argument for " + type + ": add one");
	}

}
