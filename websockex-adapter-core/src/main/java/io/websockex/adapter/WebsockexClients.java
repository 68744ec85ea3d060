package io.websockex.adapter;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every named client, in configuration order. With the Spring Boot starter it is a bean
 * holding the very same client beans that {@code @Qualifier("<name>")} injects.
 *
 * <pre>{@code
 * &#64;Service
 * class Feeds {
 *     Feeds(WebsockexClients clients) {
 *         WebsockexClient deribit = clients.get("deribit");
 *         for (WebsockexClient client : clients) {
 *             log.info("{}: {}", client.name(), client.state());
 *         }
 *     }
 * }
 * }</pre>
 */
public final class WebsockexClients implements Iterable<WebsockexClient> {

	private final Map<String, WebsockexClient> clients;

	/**
	 * Hold the given clients, keyed by their {@link WebsockexClient#name() names}.
	 * @param clients the clients, in configuration order
	 * @throws IllegalArgumentException if two clients have the same name
	 */
	public WebsockexClients(Collection<? extends WebsockexClient> clients) {
		Map<String, WebsockexClient> byName = new LinkedHashMap<>();
		for (WebsockexClient client : clients) {
			if (byName.putIfAbsent(client.name(), client) != null) {
				throw new IllegalArgumentException("Two websockex clients are named '" + client.name() + "'");
			}
		}
		this.clients = Collections.unmodifiableMap(byName);
	}

	/**
	 * The client with the given name.
	 * @param name the name, as in {@code websockex.clients.<name>}
	 * @return the client
	 * @throws WebsockexException naming the known clients if there is none by that name
	 */
	public WebsockexClient get(String name) {
		WebsockexClient client = this.clients.get(name);
		if (client == null) {
			throw new WebsockexException("No websockex client named '" + name + "'; known clients: " + names()
					+ ". Configure websockex.clients." + name + ".url or use one of the known names");
		}
		return client;
	}

	/**
	 * The names of all clients, in configuration order.
	 * @return the names
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * The number of clients.
	 * @return the count
	 */
	public int size() {
		return this.clients.size();
	}

	/**
	 * The clients, in configuration order.
	 * @return an iterator that does not support removal
	 */
	@Override
	public Iterator<WebsockexClient> iterator() {
		return this.clients.values().iterator();
	}

	@Override
	public String toString() {
		return "WebsockexClients" + names();
	}

}
