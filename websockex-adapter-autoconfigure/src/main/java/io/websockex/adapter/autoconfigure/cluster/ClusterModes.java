package io.websockex.adapter.autoconfigure.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Each client's {@code cluster} mode as configured: its own
 * {@code websockex.clients.<name>.cluster}, else {@code websockex.defaults.cluster}, else
 * {@link ClusterMode#NONE}. Read straight from the environment, so that conditions can
 * use it before any bean exists.
 */
final class ClusterModes {

	private static final Bindable<Map<String, Entry>> CLIENTS = Bindable.mapOf(String.class, Entry.class);

	private ClusterModes() {
	}

	static Map<String, ClusterMode> of(Environment environment) {
		Binder binder = Binder.get(environment);
		ClusterMode fallback = binder.bind("websockex.defaults.cluster", ClusterMode.class).orElse(ClusterMode.NONE);
		Map<String, ClusterMode> modes = new LinkedHashMap<>();
		binder.bind("websockex.clients", CLIENTS)
			.orElseGet(Map::of)
			.forEach((name, entry) -> modes.put(name, (entry.getCluster() != null) ? entry.getCluster() : fallback));
		return modes;
	}

	static boolean anySingleActive(Environment environment) {
		return of(environment).containsValue(ClusterMode.SINGLE_ACTIVE);
	}

	/**
	 * The keys of a client entry read here; the binder ignores the others. With the URL
	 * too, since the binder leaves out an entry that sets none of these, and every client
	 * sets its URL.
	 */
	public static class Entry {

		private @Nullable String url;

		private @Nullable ClusterMode cluster;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable ClusterMode getCluster() {
			return this.cluster;
		}

		public void setCluster(@Nullable ClusterMode cluster) {
			this.cluster = cluster;
		}

	}

}
