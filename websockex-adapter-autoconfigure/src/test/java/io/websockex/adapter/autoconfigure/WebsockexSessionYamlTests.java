package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Credentials;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Long-running exchange sessions configured only by YAML: signed auth whose token is
 * refreshed on the live connection (with events that say until when), channels split per
 * subscribe call, and a per-method cost that changes what the server sees.
 */
@SpringBootTest(classes = WebsockexSessionYamlTests.App.class)
@ActiveProfiles("sessions")
class WebsockexSessionYamlTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String SECRET = "yaml-s3cret-never-sent";

	// Deribit's shapes: checks the signature with the secret it knows, issues 2 s tokens
	// and renews them for their refresh token.
	private static final WebsockexTestServer server = WebsockexTestServer.deribit()
		.credentials("reader", SECRET)
		.tokenLifetime(Duration.ofSeconds(2))
		.noRateLimit();

	private static final WebsockexTestServer weights = WebsockexTestServer.raw();

	/** When the weights server received each frame (nanoTime). */
	private static final List<Long> arrivalTimes = new CopyOnWriteArrayList<>();

	static {
		weights.onText((session, text) -> {
			arrivalTimes.add(System.nanoTime());
		});
	}

	@Autowired
	@Qualifier("signed")
	WebsockexClient signed;

	@Autowired
	@Qualifier("weighted")
	WebsockexClient weighted;

	@Autowired
	@Qualifier("unweighted")
	WebsockexClient unweighted;

	@Autowired
	AuthenticatedEvents events;

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		registry.add("test.server.url", server::url);
		registry.add("test.weights.url", weights::url);
		registry.add("test.secret", () -> SECRET);
	}

	@AfterAll
	static void stopServers() {
		server.close();
		weights.close();
	}

	@Test
	void signedAuthIsRefreshedOnTheLiveConnectionAndEachRenewalIsAnEvent() {
		assertThat(this.signed.config().auth().method()).isEqualTo(Credentials.Method.CLIENT_SIGNATURE);
		assertThat(this.signed.config().auth().refreshAt()).isEqualTo(0.5);
		// 2 s tokens refreshed at half their life: three events within about 3 s.
		await().atMost(WAIT).until(() -> this.events.received.size() >= 3);
		List<WebsockexAuthenticatedEvent> received = List.copyOf(this.events.received);
		assertThat(received).allSatisfy((event) -> assertThat(event.getClientName()).isEqualTo("signed"));
		assertThat(received).extracting(WebsockexAuthenticatedEvent::getAuthenticatedUntil).isSorted();
		assertThat(this.signed.authenticatedUntil()).isAfter(Instant.now());
		// Every auth was accepted (a refused signature would have stopped the client).
		assertThat(server.requests("public/auth")).extracting((auth) -> auth.path("grant_type").asString())
			.startsWith("client_signature", "refresh_token", "refresh_token");
		assertThat(server.requests("public/auth").get(0).has("client_secret")).isFalse();
		assertThat(server.connections()).isEqualTo(1);
		assertThat(server.receivedTexts()).noneMatch((text) -> text.contains(SECRET));
		// max-channels-per-subscribe: 2 splits the three channels into two calls.
		List<String> subscribes = server.receivedTexts()
			.stream()
			.filter((text) -> text.contains("private/subscribe"))
			.toList();
		assertThat(subscribes).hasSize(2);
		assertThat(subscribes.get(0)).contains("ticker.A", "ticker.B").doesNotContain("ticker.C");
		assertThat(subscribes.get(1)).contains("ticker.C").doesNotContain("ticker.A");
	}

	@Test
	void aYamlCostOverrideChangesWhatTheServerReceivesPerWindow() {
		this.weighted.awaitConnected().block(WAIT);
		this.unweighted.awaitConnected().block(WAIT);
		String time = "{\"id\":\"%s\",\"method\":\"time\"}";

		// Binance weighs "time" 1: four fit the bucket of 10 at once.
		arrivalTimes.clear();
		Flux.range(0, 4).flatMap((i) -> this.unweighted.send(time.formatted("u" + i))).then().block(WAIT);
		await().atMost(WAIT).until(() -> arrivalTimes.size() == 4);
		assertThat(spanOf(arrivalTimes)).isLessThan(Duration.ofMillis(500));

		// costs."[time]": 5 makes each cost 5: two per one-second window, so the last two
		// wait for the refill.
		arrivalTimes.clear();
		Flux.range(0, 4).flatMap((i) -> this.weighted.send(time.formatted("w" + i))).then().block(WAIT);
		await().atMost(WAIT).until(() -> arrivalTimes.size() == 4);
		assertThat(spanOf(arrivalTimes)).isGreaterThan(Duration.ofMillis(700));
		assertThat(this.weighted.config().rateLimit().cost().cost("time")).isEqualTo(5);
		assertThat(this.weighted.config().rateLimit().cost().cost("exchangeInfo")).isEqualTo(20);
	}

	private static Duration spanOf(List<Long> times) {
		long first = times.stream().mapToLong(Long::longValue).min().orElse(0);
		long last = times.stream().mapToLong(Long::longValue).max().orElse(0);
		return Duration.ofNanos(last - first);
	}

	@SpringBootApplication
	static class App {

		@Bean
		AuthenticatedEvents authenticatedEvents() {
			return new AuthenticatedEvents();
		}

	}

	static class AuthenticatedEvents {

		final List<WebsockexAuthenticatedEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(WebsockexAuthenticatedEvent event) {
			this.received.add(event);
		}

	}

}
