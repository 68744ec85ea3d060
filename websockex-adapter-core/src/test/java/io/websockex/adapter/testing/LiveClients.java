package io.websockex.adapter.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link WebsockexTestServer} started before each test and the clients a test opens
 * against it, all closed after the test (clients first, each within a bounded wait; then
 * the server checks that no connection is left open). Register it with
 * {@code @RegisterExtension final LiveClients live = LiveClients.raw();}.
 */
public final class LiveClients implements BeforeEachCallback, AfterEachCallback {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final Platform platform;

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	private WebsockexTestServer server;

	private LiveClients(Platform platform) {
		this.platform = platform;
	}

	/**
	 * @return clients against a {@link WebsockexTestServer#raw()} server
	 */
	public static LiveClients raw() {
		return new LiveClients(Platform.RAW);
	}

	/**
	 * @return clients against a {@link WebsockexTestServer#jsonRpc()} server
	 */
	public static LiveClients jsonRpc() {
		return new LiveClients(Platform.JSON_RPC);
	}

	/**
	 * @return clients against a {@link WebsockexTestServer#deribit()} server
	 */
	public static LiveClients deribit() {
		return new LiveClients(Platform.DERIBIT);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.server = WebsockexTestServer.start(this.platform);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		try {
			this.clients.forEach((client) -> client.close().block(WAIT));
			this.clients.clear();
			this.server.thaw();
			this.server.awaitNoOpenConnections(Duration.ofSeconds(5));
		}
		finally {
			this.server.close();
		}
	}

	/**
	 * @return this test's server
	 */
	public WebsockexTestServer server() {
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
		WebsockexClient client = track(TransportUnderTest.create(name, config));
		client.start();
		client.awaitConnected().block(WAIT);
		return client;
	}

}
