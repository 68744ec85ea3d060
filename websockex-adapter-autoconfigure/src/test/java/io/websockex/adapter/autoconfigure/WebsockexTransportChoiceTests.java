package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.handler.codec.http.HttpHeaders;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which transport an auto-configured client gets, seen from the server's side of the
 * upgrade: the hand-written upgrade over a TCP connection unless a
 * {@link WebsockexClientCustomizer} adjusts the {@code HttpClient}; customizers that
 * adjust only the configuration do not count.
 */
class WebsockexTransportChoiceTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final Queue<HttpHeaders> upgrades = new ConcurrentLinkedQueue<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class));

	private DisposableServer server;

	@BeforeEach
	void startServer() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			this.upgrades.add(request.requestHeaders().copy());
			return response.sendWebsocket((in, out) -> in.receive().then());
		}).bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
	}

	@Test
	void aCustomizerOfTheConfigurationOnlyLeavesTheClientOnTheHandWrittenUpgrade() {
		this.runner.withUserConfiguration(ConfigOnly.class).withPropertyValues(url()).run((context) -> {
			connect(context.getBean(WebsockexClients.class).get("feed"));
			assertThat(this.upgrades).singleElement()
				.satisfies((headers) -> assertThat(headers.get("User-Agent")).isEqualTo("websockex"));
		});
	}

	@Test
	void aCustomizerOfTheHttpClientGetsItsHttpClient() {
		this.runner.withUserConfiguration(HttpClientHeader.class).withPropertyValues(url()).run((context) -> {
			connect(context.getBean(WebsockexClients.class).get("feed"));
			assertThat(this.upgrades).singleElement().satisfies((headers) -> {
				assertThat(headers.get("X-Via")).isEqualTo("customizer");
				assertThat(headers.get("User-Agent")).isNotEqualTo("websockex");
			});
		});
	}

	private String url() {
		return "websockex.clients.feed.url=ws://127.0.0.1:" + this.server.port() + "/";
	}

	private void connect(WebsockexClient client) {
		client.awaitConnected().block(WAIT);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		await().atMost(WAIT).until(() -> !this.upgrades.isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	static class ConfigOnly {

		@Bean
		WebsockexClientCustomizer patientRetries() {
			return (name, config) -> config.retryDelay(Duration.ofSeconds(5));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HttpClientHeader {

		@Bean
		WebsockexClientCustomizer via() {
			return WebsockexClientCustomizer
				.httpClient((name, http) -> http.headers((h) -> h.set("X-Via", "customizer")));
		}

	}

}
