package io.websockex.adapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every named client: those configured at start-up, in configuration order, then those
 * {@linkplain #register(String, Config) registered while the application runs}. With the
 * Spring Boot starter it is a bean holding the very same client beans that
 * {@code @Qualifier("<name>")} injects, and a client registered here gets the same
 * endpoint entry, health, meters, {@code @WebsockexListener} methods and shutdown as a
 * configured one.
 *
 * <pre>{@code
 * &#64;Service
 * class Accounts {
 *     private final WebsockexClients clients;
 *
 *     Accounts(WebsockexClients clients) {
 *         this.clients = clients;
 *     }
 *
 *     void open(String account, String url) {
 *         WebsockexClient client = clients.register("account-" + account, Config.builder(url).build());
 *         client.subscribe("user.orders").subscribe();
 *     }
 *
 *     void close(String account) {
 *         clients.remove("account-" + account).block(Duration.ofSeconds(10));
 *     }
 * }
 * }</pre>
 *
 * Without Spring, {@code new WebsockexClients(List.of())} is a plain registry whose
 * {@link #close()} closes what it registered.
 */
public final class WebsockexClients implements Iterable<WebsockexClient>, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WebsockexClients.class);

	private final Factory factory;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	// Changes (register, remove) take the lock so that a name is checked and taken in one
	// step, and are announced under it, so that listeners learn of a client's removal
	// only after its registration (a remove racing a register must not leave meters and
	// listeners bound to a client already gone); readers see an immutable snapshot
	// without it.
	private final ReentrantLock lock = new ReentrantLock();

	private final Set<String> configured;

	private volatile Map<String, WebsockexClient> clients;

	/**
	 * Hold the given clients, keyed by their {@link WebsockexClient#name() names};
	 * clients registered later are made by
	 * {@link WebsockexClient#create(String, Config)}.
	 * @param clients the clients, in configuration order
	 * @throws IllegalArgumentException if two clients have the same name
	 */
	public WebsockexClients(Collection<? extends WebsockexClient> clients) {
		this(clients, WebsockexClient::create);
	}

	/**
	 * Hold the given clients, and make clients registered later with a factory (the
	 * Spring Boot starter's applies customizers and ties them to the context).
	 * @param clients the clients, in configuration order
	 * @param factory makes the clients of {@link #register(String, Config)}, not started
	 * @throws IllegalArgumentException if two clients have the same name
	 */
	public WebsockexClients(Collection<? extends WebsockexClient> clients, Factory factory) {
		Map<String, WebsockexClient> byName = new LinkedHashMap<>();
		for (WebsockexClient client : clients) {
			if (byName.putIfAbsent(client.name(), client) != null) {
				throw new IllegalArgumentException("Two websockex clients are named '" + client.name() + "'");
			}
		}
		this.factory = factory;
		this.configured = Collections.unmodifiableSet(new LinkedHashSet<>(byName.keySet()));
		this.clients = Collections.unmodifiableMap(byName);
	}

	/**
	 * Make, announce and start a client while the application runs. Listeners (the
	 * endpoint, health, meters and {@code @WebsockexListener} support with Spring) learn
	 * of it before it starts connecting, so nothing it receives on connect is missed.
	 * Call it from a thread that may block, never a Netty event loop (not straight from a
	 * message handler): it builds the client (the first one in a JVM may load TLS trust
	 * or Jackson), runs the listeners, and waits for a register or remove under way.
	 * @param name a name no other client has
	 * @param config its configuration
	 * @return the client, connecting in the background
	 * @throws IllegalArgumentException if a client of that name exists, or the name is
	 * blank
	 */
	public WebsockexClient register(String name, Config config) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("A websockex client needs a name that is not blank");
		}
		WebsockexClient client;
		this.lock.lock();
		try {
			if (this.clients.containsKey(name)) {
				throw new IllegalArgumentException("A websockex client named '" + name + "' already exists; "
						+ "remove(\"" + name + "\") it first, or register under another name");
			}
			client = this.factory.create(name, config);
			Map<String, WebsockexClient> next = new LinkedHashMap<>(this.clients);
			next.put(name, client);
			this.clients = Collections.unmodifiableMap(next);
			for (Listener listener : this.listeners) {
				notify(listener, client, true);
			}
			client.start();
		}
		finally {
			this.lock.unlock();
		}
		logger.info("websockex client '{}' registered: {}", name, config.maskedUrl());
		return client;
	}

	/**
	 * Remove a client registered at run time: listeners forget it (its endpoint entry,
	 * health, meters and listener subscriptions go), and it is closed. Like
	 * {@link #register}, it runs the listeners and waits for a register or remove under
	 * way: call it from a thread that may block, never a Netty event loop.
	 * @param name the client's name
	 * @return a {@link Mono} completing when the client is closed; it fails with
	 * {@link WebsockexException} if no client of that name exists, or if it was
	 * configured at start-up (those live as long as the application)
	 */
	public Mono<Void> remove(String name) {
		WebsockexClient client;
		this.lock.lock();
		try {
			client = this.clients.get(name);
			if (client == null) {
				return Mono.error(new WebsockexException("No websockex client named '" + name
						+ "' to remove; known clients: " + names() + ". It may have been removed already"));
			}
			if (this.configured.contains(name)) {
				return Mono.error(new WebsockexException("websockex client '" + name
						+ "' is configured in websockex.clients and lives as long as the application; "
						+ "only clients made with register(...) can be removed. Use disconnect() to stop it"));
			}
			Map<String, WebsockexClient> next = new LinkedHashMap<>(this.clients);
			next.remove(name);
			this.clients = Collections.unmodifiableMap(next);
			for (Listener listener : this.listeners) {
				notify(listener, client, false);
			}
		}
		finally {
			this.lock.unlock();
		}
		logger.info("websockex client '{}' removed", name);
		return client.close();
	}

	private static void notify(Listener listener, WebsockexClient client, boolean registered) {
		try {
			if (registered) {
				listener.registered(client);
			}
			else {
				listener.removed(client);
			}
		}
		catch (RuntimeException ex) {
			// One listener's failure must not leave the client half announced to the
			// rest.
			logger.warn("websockex client '{}': a registry listener failed on {}", client.name(),
					registered ? "register" : "remove", ex);
		}
	}

	/**
	 * Be told of clients registered and removed from now on (clients already here are not
	 * announced: iterate them).
	 * @param listener the listener; called on the thread that registers or removes, one
	 * registration or removal at a time, so it learns of a removal after the registration
	 * @return disposing it stops the notifications
	 */
	public Disposable addListener(Listener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/**
	 * The client with the given name.
	 * @param name the name, as in {@code websockex.clients.<name>} or as registered
	 * @return the client
	 * @throws WebsockexException naming the known clients if there is none by that name
	 */
	public WebsockexClient get(String name) {
		WebsockexClient client = this.clients.get(name);
		if (client == null) {
			throw new WebsockexException("No websockex client named '" + name + "'; known clients: " + names()
					+ ". Configure websockex.clients." + name + ".url, register it, or use one of the known names");
		}
		return client;
	}

	/**
	 * Whether a client of that name exists now.
	 * @param name the name
	 * @return {@code true} if {@link #get(String)} would return it
	 */
	public boolean contains(String name) {
		return this.clients.containsKey(name);
	}

	/**
	 * The names of all clients, configured ones first in configuration order, then
	 * registered ones in registration order.
	 * @return a snapshot of the names
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * The clients by name, as a snapshot.
	 * @return an unmodifiable map in the order of {@link #names()}
	 */
	public Map<String, WebsockexClient> asMap() {
		return this.clients;
	}

	/**
	 * The number of clients.
	 * @return the count
	 */
	public int size() {
		return this.clients.size();
	}

	/**
	 * The clients now, in the order of {@link #names()}.
	 * @return an iterator over a snapshot, which does not support removal
	 */
	@Override
	public Iterator<WebsockexClient> iterator() {
		return this.clients.values().iterator();
	}

	/**
	 * Close every client registered at run time and forget it (configured clients are
	 * left to their owner), waiting up to their {@code shutdown-timeout} plus a second.
	 * The Spring Boot starter calls this when the context closes.
	 */
	@Override
	public void close() {
		List<Mono<Void>> closing = new ArrayList<>();
		Duration longest = Duration.ZERO;
		for (String name : List.copyOf(names())) {
			if (!this.configured.contains(name)) {
				WebsockexClient client = this.clients.get(name);
				if (client != null && client.config().shutdownTimeout().compareTo(longest) > 0) {
					longest = client.config().shutdownTimeout();
				}
				closing.add(remove(name).onErrorResume((error) -> Mono.empty()));
			}
		}
		if (closing.isEmpty()) {
			return;
		}
		try {
			Flux.merge(closing).then().block(longest.plusSeconds(1));
		}
		catch (RuntimeException ex) {
			logger.warn("websockex: {} run-time clients did not all close within {}: {}", closing.size(),
					longest.plusSeconds(1), ex.toString());
		}
	}

	@Override
	public String toString() {
		return "WebsockexClients" + names();
	}

	/**
	 * Makes the clients of {@link #register(String, Config)}.
	 */
	@FunctionalInterface
	public interface Factory {

		/**
		 * Make a client, not started.
		 * @param name its name
		 * @param config its configuration
		 * @return the client
		 */
		WebsockexClient create(String name, Config config);

	}

	/**
	 * Told of clients registered and removed at run time; how the endpoint, health,
	 * meters and listener support of the Spring Boot starter follow them.
	 */
	public interface Listener {

		/**
		 * A client was registered; it starts connecting when this returns.
		 * @param client the client
		 */
		default void registered(WebsockexClient client) {
		}

		/**
		 * A client was removed; it is closed after this returns.
		 * @param client the client
		 */
		default void removed(WebsockexClient client) {
		}

	}

}
