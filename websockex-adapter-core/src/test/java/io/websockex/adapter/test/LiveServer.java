package io.websockex.adapter.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestServer} started before each test and the clients a test opens against it,
 * all closed after the test (clients first, each within a bounded wait). Register it with
 * {@code @RegisterExtension final LiveServer live = new LiveServer();}.
 */
public final class LiveServer implements BeforeEachCallback, AfterEachCallback {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	private TestServer server;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.server = TestServer.start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		try {
			this.clients.forEach((client) -> client.close().block(WAIT));
			this.clients.clear();
		}
		finally {
			this.server.close();
		}
	}

	/**
	 * @return this test's server
	 */
	public TestServer server() {
		return this.server;
	}

	/**
	 * Close a client after the test.
	 * @param client the client
	 * @return the client
	 */
	public WebsockexClient track(WebsockexClient client) {
		this.clients.add(client);
		return client;
	}

	/**
	 * Create a client (closed after the test), start it and wait until it is connected.
	 * @param name the client's name
	 * @param config its configuration
	 * @return the connected client
	 */
	public WebsockexClient connect(String name, Config config) {
		WebsockexClient client = track(WebsockexClient.create(name, config));
		client.start();
		client.awaitConnected().block(WAIT);
		return client;
	}

}
