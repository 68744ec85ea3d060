package io.websockex.adapter.test.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import io.websockex.adapter.test.spring.AutoConfigureWebsockexTestServer.ServerPlatform;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link WebsockexTestServer} when a test's context is prepared (the user's
 * configuration is loaded by then), overrides the URL of each client it serves in a
 * property source of highest precedence, and registers the server as a bean that closes
 * with the context (after the clients stop, so they never see it vanish first).
 */
final class WebsockexTestServerContextCustomizer implements ContextCustomizer {

	private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName.of("websockex.clients");

	private final ServerPlatform platform;

	private final Set<String> clients;

	WebsockexTestServerContextCustomizer(ServerPlatform platform, Set<String> clients) {
		this.platform = platform;
		this.clients = clients;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
		ConfigurableEnvironment environment = context.getEnvironment();
		Binder binder = Binder.get(environment);
		Set<String> names = this.clients.isEmpty() ? configuredClients(environment) : this.clients;
		WebsockexTestServer server = WebsockexTestServer.start(platform(binder, names));
		if (server.platform() == Platform.DERIBIT) {
			useConfiguredCredentials(server, binder, names);
		}
		Map<String, Object> urls = new LinkedHashMap<>();
		for (String name : names) {
			String url = property(binder, name, "url");
			urls.put("websockex.clients." + name + ".url", server.url(pathOf(url)));
		}
		environment.getPropertySources().addFirst(new MapPropertySource("websockexTestServer", urls));
		if (context instanceof GenericApplicationContext generic) {
			generic.registerBean("websockexTestServer", WebsockexTestServer.class, () -> server,
					(definition) -> definition.setDestroyMethodName("close"));
		}
		else {
			context.getBeanFactory().registerSingleton("websockexTestServer", server);
			context.addApplicationListener((event) -> {
				if (event instanceof org.springframework.context.event.ContextClosedEvent) {
					server.close();
				}
			});
		}
	}

	private static Set<String> configuredClients(ConfigurableEnvironment environment) {
		Set<String> names = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter((name) -> CLIENTS.isAncestorOf(name) && name.getNumberOfElements() > 2)
					.forEach((name) -> names.add(name.getElement(2, Form.ORIGINAL)));
			}
		}
		return names;
	}

	private Platform platform(Binder binder, Set<String> names) {
		return switch (this.platform) {
			case DERIBIT -> Platform.DERIBIT;
			case JSON_RPC -> Platform.JSON_RPC;
			case RAW -> Platform.RAW;
			case AUTO -> {
				Set<String> platforms = new LinkedHashSet<>();
				names.forEach((name) -> platforms
					.add(Objects.requireNonNullElse(property(binder, name, "platform"), "json-rpc")));
				if (platforms.contains("deribit")) {
					yield Platform.DERIBIT;
				}
				yield (!platforms.isEmpty() && Set.of("raw").containsAll(platforms)) ? Platform.RAW : Platform.JSON_RPC;
			}
		};
	}

	private static void useConfiguredCredentials(WebsockexTestServer server, Binder binder, Set<String> names) {
		for (String name : names) {
			String id = property(binder, name, "auth.client-id");
			String secret = property(binder, name, "auth.client-secret");
			if (id != null && secret != null) {
				server.credentials(id, secret);
				return;
			}
		}
	}

	// A client's own value, else the one under websockex.defaults.
	private static @Nullable String property(Binder binder, String client, String key) {
		return binder.bind("websockex.clients." + client + "." + key, String.class)
			.orElseGet(() -> binder.bind("websockex.defaults." + key, String.class).orElse(null));
	}

	private static String pathOf(@Nullable String url) {
		if (url == null) {
			return "/ws";
		}
		try {
			URI uri = URI.create(url.trim());
			String path = (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) ? uri.getRawPath() : "/";
			return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
		}
		catch (IllegalArgumentException ex) {
			// An invalid URL is the client's to report; the server serves every path.
			return "/ws";
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof WebsockexTestServerContextCustomizer that && this.platform == that.platform
				&& this.clients.equals(that.clients);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.platform, this.clients);
	}

}
