package io.websockex.adapter.testing;

import java.util.function.UnaryOperator;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.internal.client.HttpClientCustomizers;
import reactor.netty.http.client.HttpClient;

/**
 * Makes the tests' clients on the transport under test. By default that is what
 * {@link WebsockexClient#create(String, Config)} picks: a TCP connection with the upgrade
 * written by hand. With {@code -Dwebsockex.test.transport=http-client} it is Reactor
 * Netty's {@link HttpClient}, which every client with an {@code HttpClient} customizer
 * gets: the core's {@code http-client-transport} test execution runs the protocol suites
 * that way too.
 */
public final class TransportUnderTest {

	private static final boolean HTTP_CLIENT = "http-client".equals(System.getProperty("websockex.test.transport"));

	// Not one of the customizers TcpTransport can apply: the client gets an HttpClient.
	private static final UnaryOperator<HttpClient> ANY_CUSTOMIZER = (client) -> client.wiretap(false);

	private TransportUnderTest() {
	}

	/**
	 * The customizer that puts a client made by hand on the transport under test.
	 * @return {@link HttpClientCustomizers#none()}, or one that makes it use an
	 * {@link HttpClient}
	 */
	public static UnaryOperator<HttpClient> customizer() {
		return HTTP_CLIENT ? ANY_CUSTOMIZER : HttpClientCustomizers.none();
	}

	/**
	 * Create a client, not started, on the transport under test.
	 * @param name the client's name
	 * @param config its configuration
	 * @return the client
	 */
	public static WebsockexClient create(String name, Config config) {
		return HTTP_CLIENT ? WebsockexClient.create(name, config, ANY_CUSTOMIZER)
				: WebsockexClient.create(name, config);
	}

}
