package io.websockex.adapter.autoconfigure;

import java.time.Duration;

import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application configured only by YAML gets injected, connected clients.
 */
@SpringBootTest(classes = WebsockexYamlApplicationTests.App.class)
@ActiveProfiles("yaml")
class WebsockexYamlApplicationTests {

	private static final WebsockexTestServer server = WebsockexTestServer.raw();

	@Autowired
	@Qualifier("deribit")
	WebsockexClient deribit;

	@Autowired
	@Qualifier("binance")
	WebsockexClient binance;

	@Autowired
	WebsockexClients clients;

	@DynamicPropertySource
	static void serverUrl(DynamicPropertyRegistry registry) {
		registry.add("test.server.url", server::url);
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void yamlClientsAreInjectedConnectedAndSubscribed() {
		this.deribit.awaitConnected().block(Duration.ofSeconds(10));
		assertThat(this.deribit.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.clients.names()).containsExactly("deribit", "binance");
		assertThat(this.clients.get("deribit")).isSameAs(this.deribit);
		assertThat(this.binance.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(this.binance.config().maxFrameSize()).isEqualTo(1024 * 1024);
		assertThat(this.deribit.config().heartbeat().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
		// The subscription from the YAML went out as the platform's subscribe call.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.receivedTexts()
				.stream()
				.anyMatch((text) -> text.contains("public/subscribe") && text.contains("ticker.BTC-PERPETUAL.raw")));
	}

	@SpringBootApplication
	static class App {

	}

}
