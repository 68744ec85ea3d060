package io.websockex.adapter.test.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link WebsockexTestServer} for every field and parameter of that type, and
 * stops it after the test (static fields: after the class). A connection still open when
 * the server stops fails the test: close the clients a test opens. Usually registered
 * through {@link WebsockexServer}.
 */
public final class WebsockexTestServerExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

	// Long enough for a client's close handshake on a loaded machine, short enough that a
	// leak fails the test soon.
	private static final Duration LEAK_WAIT = Duration.ofSeconds(5);

	private static final Namespace NAMESPACE = Namespace.create(WebsockexTestServerExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		for (Field field : fields(context.getRequiredTestClass(), true)) {
			inject(context, field, null);
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) throws Exception {
		for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
			for (Field field : fields(instance.getClass(), false)) {
				inject(context, field, instance);
			}
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		stopAll(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stopAll(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == WebsockexTestServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		// A parameter of a test that also has a server field gets that same server.
		List<Started> started = started(context);
		if (!started.isEmpty() && parameter.findAnnotation(WebsockexServer.class).isEmpty()) {
			return started.get(0).server;
		}
		return start(context, parameter.getParameter());
	}

	private void inject(ExtensionContext context, Field field, @Nullable Object instance) throws Exception {
		field.setAccessible(true);
		field.set(instance, start(context, field));
	}

	private WebsockexTestServer start(ExtensionContext context, AnnotatedElement element) {
		WebsockexServer annotation = element.getAnnotation(WebsockexServer.class);
		Platform platform = (annotation != null) ? annotation.platform() : Platform.JSON_RPC;
		boolean checkLeaks = annotation == null || annotation.checkLeaks();
		WebsockexTestServer server = WebsockexTestServer.start(platform);
		started(context).add(new Started(server, checkLeaks, element.toString()));
		return server;
	}

	private void stopAll(ExtensionContext context) {
		List<Started> started = started(context);
		AssertionError leak = null;
		for (Started each : started) {
			try {
				if (each.checkLeaks) {
					each.server.thaw();
					each.server.awaitNoOpenConnections(LEAK_WAIT);
				}
			}
			catch (AssertionError ex) {
				leak = (leak != null) ? leak : new AssertionError("The WebsockexTestServer of " + each.element
						+ " had connections left open after the test: " + ex.getMessage(), ex);
			}
			finally {
				each.server.close();
			}
		}
		started.clear();
		if (leak != null) {
			throw leak;
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Started> started(ExtensionContext context) {
		return context.getStore(NAMESPACE)
			.computeIfAbsent(context.getUniqueId(), (key) -> new ArrayList<Started>(), List.class);
	}

	private static List<Field> fields(Class<?> type, boolean statics) {
		List<Field> fields = new ArrayList<>();
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			for (Field field : c.getDeclaredFields()) {
				if (field.getType() == WebsockexTestServer.class && Modifier.isStatic(field.getModifiers()) == statics
						&& !Modifier.isFinal(field.getModifiers())) {
					fields.add(field);
				}
			}
		}
		return fields;
	}

	private record Started(WebsockexTestServer server, boolean checkLeaks, String element) {
	}

}
