package io.websockex.adapter.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.websockex.adapter.test.WebsockexTestServer;

/**
 * Starts a {@link WebsockexTestServer} for a Spring test's application context and points
 * every configured websockex client ({@code websockex.clients.<name>.url}), or only the
 * named ones, at it, keeping each URL's path and query. The rest of the configuration
 * (your real {@code application.yml}) is unchanged, so a {@code @SpringBootTest} runs
 * against the test server as it would against the real one. The server is a bean of the
 * context: {@code @Autowired WebsockexTestServer server}; it stops when the context
 * closes.
 *
 * <pre>{@code
 * &#64;SpringBootTest

 * &#64;AutoConfigureWebsockexTestServer
 * class FeedTests {
 *
 *     &#64;Autowired
 *     WebsockexTestServer server;
 *
 *
&#64;Test
 *     void countsTickers() {
 *         server.awaitSubscribed("ticker.BTC-PERPETUAL.100ms");
 *         server.push("ticker.BTC-PERPETUAL.100ms", Map.of("last_price", 42000));
 *         ...
 *     }
 *
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureWebsockexTestServer {

	/**
	 * @return the names of the clients to point at the server; empty (the default) for
	 * every client configured under {@code websockex.clients}
	 */
	String[] clients() default {};

	/**
	 * @return the behaviour built into the server; {@link ServerPlatform#AUTO} (the
	 * default) takes it from the clients' {@code platform} property
	 */
	ServerPlatform platform() default ServerPlatform.AUTO;

	/** The behaviour built into the server. */
	enum ServerPlatform {

		/**
		 * {@code deribit} when a client it serves has {@code platform: deribit} (its
		 * {@code auth.client-id} and {@code auth.client-secret}, when set, become the
		 * server's credentials), {@code raw} when every one has {@code platform: raw},
		 * otherwise {@code json-rpc}.
		 */
		AUTO,

		/** See {@link WebsockexTestServer#deribit()}. */
		DERIBIT,

		/** See {@link WebsockexTestServer#jsonRpc()}. */
		JSON_RPC,

		/** See {@link WebsockexTestServer#raw()}. */
		RAW

	}

}
