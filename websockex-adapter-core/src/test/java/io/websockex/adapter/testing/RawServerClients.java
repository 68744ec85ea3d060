package io.websockex.adapter.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.test.RawFrameServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients a test runs against a {@link RawFrameServer}, the sibling of
 * {@link LiveClients} for servers that misbehave on the wire: the test starts the server
 * with its own script and hands it to {@link #serve}; after the test every client is
 * closed (each within a bounded wait), then the server, which must have recorded no error
 * (a script's own assertions fail there). Register it with
 * {@code @RegisterExtension final RawServerClients raw = new RawServerClients();}.
 */
public final class RawServerClients implements AfterEachCallback {

	private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	private @Nullable RawFrameServer server;

	/**
	 * Keep the server the test started, to build configurations on and to close.
	 * @param server the server
	 * @return the server
	 */
	public RawFrameServer serve(RawFrameServer server) {
		this.server = server;
		return server;
	}

	/**
	 * @return the server handed to {@link #serve}
	 */
	public RawFrameServer server() {
		assertThat(this.server).as("serve(...) was called first").isNotNull();
		return this.server;
	}

	/**
	 * @return a configuration for the server that retries every 20 ms, without jitter
	 */
	public Config.Builder fastRetries() {
		return Config.builder(server().url())
			.retryDelay(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(20))
			.backoffJitter(0);
	}

	/**
	 * Create a client that is closed after the test, without starting it.
	 * @param name the client's name
	 * @param config its configuration
	 * @return the client
	 */
	public WebsockexClient create(String name, Config config) {
		WebsockexClient client = TransportUnderTest.create(name, config);
		this.clients.add(client);
		return client;
	}

	/**
	 * Create a client, hand each text message it receives to {@code texts}, start it.
	 * @param name the client's name
	 * @param config its configuration
	 * @param texts what receives the text messages
	 * @return the client, started
	 */
	public WebsockexClient start(String name, Config config, Consumer<String> texts) {
		WebsockexClient client = create(name, config);
		client.messages().subscribe((message) -> texts.accept(((WebsockexMessage.Text) message).text()));
		client.start();
		return client;
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		RawFrameServer served = this.server;
		this.server = null;
		try {
			this.clients.forEach((client) -> client.close().block(CLOSE_WAIT));
			this.clients.clear();
		}
		finally {
			if (served != null) {
				served.close();
			}
		}
		if (served != null) {
			assertThat(served.errors()).isEmpty();
		}
	}

}
