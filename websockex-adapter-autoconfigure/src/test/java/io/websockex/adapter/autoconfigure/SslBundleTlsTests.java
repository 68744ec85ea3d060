package io.websockex.adapter.autoconfigure;

import java.io.InputStream;
import java.time.Duration;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ssl.bundle} brings a Spring Boot SSL bundle's trust store and client certificate
 * to the connection, against a TLS server that requires a client certificate.
 */
class SslBundleTlsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private WebsockexTestServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("spring.ssl.bundle.pem.mutual.keystore.certificate=classpath:tls/cert.pem",
				"spring.ssl.bundle.pem.mutual.keystore.private-key=classpath:tls/key.pem",
				"spring.ssl.bundle.pem.mutual.truststore.certificate=classpath:tls/cert.pem",
				"spring.ssl.bundle.pem.trust-only.truststore.certificate=classpath:tls/cert.pem");

	@BeforeEach
	void startServer() throws Exception {
		try (InputStream cert = new ClassPathResource("tls/cert.pem").getInputStream();
				InputStream key = new ClassPathResource("tls/key.pem").getInputStream();
				InputStream trust = new ClassPathResource("tls/cert.pem").getInputStream()) {
			SslContext context = SslContextBuilder.forServer(cert, key)
				.trustManager(trust)
				.clientAuth(ClientAuth.REQUIRE)
				.build();
			this.server = WebsockexTestServer.startSecure(WebsockexTestServer.Platform.RAW, context);
		}
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void connectsWithTheBundlesTrustStoreAndClientCertificate() {
		this.runner
			.withPropertyValues("websockex.clients.secure.url=" + this.server.url(),
					"websockex.clients.secure.ssl.bundle=mutual")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("secure");
				client.awaitConnected().block(WAIT);
				assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
				assertThat(this.server.connections()).isEqualTo(1);
			});
	}

	@Test
	void withoutTheClientCertificateTheServerRefuses() {
		this.runner
			.withPropertyValues("websockex.clients.secure.url=" + this.server.url(),
					"websockex.clients.secure.ssl.bundle=trust-only", "websockex.clients.secure.retry-count=0")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("secure");
				await().atMost(WAIT).until(() -> client.metrics().lastError() != null);
				assertThat(client.state()).isNotEqualTo(ConnectionState.CONNECTED);
				assertThat(this.server.connections()).isZero();
			});
	}

	@Test
	void withoutABundleTheSelfSignedServerIsNotTrusted() {
		// Unlimited retries, 50 ms apart: only the fatal classification of a rejected
		// certificate stops the client after its first attempt.
		this.runner
			.withPropertyValues("websockex.clients.secure.url=" + this.server.url(),
					"websockex.clients.secure.retry-delay=50ms", "websockex.clients.secure.max-backoff=50ms")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("secure");
				await().atMost(WAIT)
					.until(() -> client.state() == ConnectionState.DISCONNECTED
							&& client.metrics().disconnectReason() != DisconnectReason.NOT_STARTED);
				assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.FATAL_ERROR);
				assertThat(client.metrics().connectionAttempts()).isEqualTo(1);
				assertThat(client.metrics().lastError()).containsIgnoringCase("certification path");
				assertThat(this.server.connections()).isZero();
			});
	}

}
