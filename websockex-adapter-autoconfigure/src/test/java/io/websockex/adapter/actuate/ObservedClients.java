package io.websockex.adapter.actuate;

import java.time.Duration;

import io.websockex.adapter.Config;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.WebsockexTestServer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application with three clients against real servers: {@code feed} carries secrets in
 * every place one can hide (URL user-info and query, a header, auth), {@code plain} is
 * for counting, {@code doomed} has its own server that tests stop.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ObservedClients {

	static final String USER_INFO_SECRET = "pa55word-in-url";

	static final String QUERY_SECRET = "t0ken-in-query";

	static final String HEADER_SECRET = "h3ader-value-secret";

	static final String AUTH_SECRET = "s3cr3t-auth-value";

	static final WebsockexTestServer server = WebsockexTestServer.deribit()
		.credentials("reader", AUTH_SECRET)
		.noRateLimit();

	static final WebsockexTestServer doomedServer = WebsockexTestServer.raw();

	@Bean(destroyMethod = "close")
	WebsockexClient feed() {
		String url = "ws://reader:" + USER_INFO_SECRET + "@127.0.0.1:" + server.port() + "/ws?token=" + QUERY_SECRET;
		return started(WebsockexClient.create("feed",
				Config.builder(url)
					.header("X-Api-Key", HEADER_SECRET)
					.platform(Platforms.deribit())
					.auth(new Credentials("reader", AUTH_SECRET))
					.build()));
	}

	@Bean(destroyMethod = "close")
	WebsockexClient plain() {
		return started(WebsockexClient.create("plain", Config.builder(server.url()).build()));
	}

	@Bean(destroyMethod = "close")
	WebsockexClient doomed() {
		return started(WebsockexClient.create("doomed",
				Config.builder(doomedServer.url())
					.retryCount(2)
					.retryDelay(Duration.ofMillis(300))
					.backoffJitter(0)
					.build()));
	}

	private static WebsockexClient started(WebsockexClient client) {
		client.start();
		client.awaitConnected().block(Duration.ofSeconds(10));
		return client;
	}

}
