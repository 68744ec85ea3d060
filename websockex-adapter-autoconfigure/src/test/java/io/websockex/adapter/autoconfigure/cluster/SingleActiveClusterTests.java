package io.websockex.adapter.autoconfigure.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.NotActiveException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.autoconfigure.WebsockexClientActivatedEvent;
import io.websockex.adapter.autoconfigure.WebsockexClientDeactivatedEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three instances of one service (three application contexts in this JVM), each with the
 * clients {@code alpha} and {@code beta} set to {@code cluster: single-active}, elect the
 * active instance over a {@code JdbcLockRegistry} on a real PostgreSQL, against one
 * server that records how many sessions of each client are open at every moment. After
 * every test, no client has ever had two sessions open at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleActiveClusterTests {

	private static final Duration LOCK_TTL = Duration.ofSeconds(4);

	private static final Duration RENEWAL = Duration.ofMillis(500);

	private static final Duration RETRY_DELAY = Duration.ofMillis(200);

	// What the issue allows for a takeover after the active instance stops.
	private static final Duration TAKEOVER = LOCK_TTL.plus(RETRY_DELAY).plusSeconds(1);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final List<String> CLIENTS = List.of("alpha", "beta");

	private static final int FAILOVERS = 20;

	private final AtomicInteger instanceIds = new AtomicInteger();

	private final List<Instance> instances = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private EmbeddedPostgres postgres;

	private SessionLedger ledger;

	@BeforeAll
	void startDatabaseServerAndInstances() throws IOException {
		this.postgres = EmbeddedPostgres.builder().start();
		new ResourceDatabasePopulator(
				new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
			.execute(this.postgres.getPostgresDatabase());
		this.ledger = new SessionLedger();
		for (int i = 0; i < 3; i++) {
			this.instances.add(startInstance());
		}
	}

	@AfterAll
	void stopAll() throws IOException {
		this.instances.forEach(Instance::close);
		if (this.ledger != null) {
			this.ledger.close();
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@BeforeEach
	void threeInstancesEachClientActiveOnOne() {
		while (this.instances.size() < 3) {
			this.instances.add(startInstance());
		}
		for (String client : CLIENTS) {
			await().atMost(WAIT).until(() -> this.ledger.open(client) == 1 && activeOn(client) != null);
		}
	}

	@AfterEach
	void neverTwoSessionsOfOneClientAtOnce() {
		for (String client : CLIENTS) {
			assertThat(this.ledger.highest(client)).as("most sessions of '%s' open at once", client).isEqualTo(1);
		}
	}

	@Test
	@Order(1)
	void aStandbyIsHealthyAndTheEndpointShowsItsRole() throws Exception {
		Instance active = activeOn("alpha");
		Instance standby = this.instances.stream().filter((instance) -> instance != active).findFirst().orElseThrow();

		// No LockRegistry bean of the application's: one was made over its DataSource.
		assertThat(standby.context.getBean(LockRegistry.class)).isInstanceOf(JdbcLockRegistry.class);
		JsonNode health = getJson(standby, "/actuator/health/websockex/alpha");
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("details").get("role").asString()).isEqualTo("standby");
		JsonNode described = getJson(standby, "/actuator/websockex/alpha");
		assertThat(described.get("role").asString()).isEqualTo("standby");
		assertThat(described.get("activeSince").isNull()).isTrue();
		assertThat(getJson(active, "/actuator/websockex/alpha").get("role").asString()).isEqualTo("active");
		assertThat(getJson(active, "/actuator/health/websockex/alpha").get("details").get("role").asString())
			.isEqualTo("active");

		assertThat(gauge(standby, "alpha")).isZero();
		assertThat(gauge(active, "alpha")).isOne();
		assertThatThrownBy(() -> standby.client("alpha").send("hi").block(WAIT)).isInstanceOf(NotActiveException.class)
			.hasMessageContaining("active on another instance");
		active.client("alpha").send("hi").block(WAIT);
	}

	@Test
	@Order(2)
	void yieldThroughTheEndpointMovesTheClient() throws Exception {
		Instance before = activeOn("alpha");
		long sessions = this.ledger.opened("alpha");
		HttpResponse<String> response = post(before, "/actuator/websockex/alpha/yield");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonMapper.shared().readTree(response.body()).get("role").asString()).isEqualTo("standby");

		await().atMost(WAIT).until(() -> this.ledger.opened("alpha") > sessions && this.ledger.open("alpha") == 1);
		Instance after = activeOn("alpha");
		assertThat(after).isNotNull().isNotSameAs(before);
		assertThat(this.ledger.holder("alpha")).isEqualTo(after.id);
		// The listener was in place on the standby: it got the new session's greeting.
		await().atMost(WAIT).until(() -> after.received.contains("hello alpha"));
		await().atMost(WAIT)
			.until(() -> before.events.contains("deactivated:alpha") && after.events.contains("activated:alpha"));
	}

	@Test
	@Order(3)
	void exactlyOneSessionPerClientWhileRunningSteadily() {
		// 20 s at a 500 ms renewal: 40 renewals per client, each of which could have let
		// a second instance in or made the leader drop; none may.
		Map<String, Long> sessionsBefore = Map.of("alpha", this.ledger.opened("alpha"), "beta",
				this.ledger.opened("beta"));
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < end) {
			for (String client : CLIENTS) {
				assertThat(this.ledger.open(client)).as("sessions of '%s' open", client).isEqualTo(1);
			}
			await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
		}
		for (String client : CLIENTS) {
			assertThat(this.ledger.opened(client)).as("sessions of '%s' opened while steady", client)
				.isEqualTo(sessionsBefore.get(client));
		}
	}

	@Test
	@Order(4)
	void anInstanceCutOffTheDatabaseDisconnectsAndAnotherTakesOver() {
		Instance cut = activeOn("alpha");
		long started = System.nanoTime();
		cut.context.getBean(HikariDataSource.class).close();

		await().atMost(LOCK_TTL).until(() -> !cut.id.equals(this.ledger.holder("alpha")));
		long disconnected = System.nanoTime();
		await().atMost(LOCK_TTL.plus(TAKEOVER)).until(() -> {
			String holder = this.ledger.holder("alpha");
			return holder != null && !holder.equals(cut.id);
		});
		long takenOver = System.nanoTime();
		System.out.printf("cut off the database: disconnected after %d ms, taken over after %d ms%n",
				(disconnected - started) / 1_000_000, (takenOver - started) / 1_000_000);
		assertThat(cut.client("alpha").role()).isEqualTo(ClusterRole.STANDBY);
		stop(cut);
	}

	@Test
	@Order(5)
	@Timeout(180)
	void closingTheActiveInstanceHandsOverWithinTheLockTtlAndMeasuresFailOver() {
		List<Long> gaps = new ArrayList<>();
		while (gaps.size() < FAILOVERS) {
			Instance active = activeOn("alpha");
			List<String> moving = CLIENTS.stream().filter((client) -> activeOn(client) == active).toList();
			long stopping = System.nanoTime();
			stop(active);
			for (String client : moving) {
				await().atMost(TAKEOVER).until(() -> {
					String holder = this.ledger.holder(client);
					return holder != null && !holder.equals(active.id);
				});
				gaps.add(gap(client, active.id, stopping));
			}
			// Without a web server: nothing here uses HTTP, and starting is what takes
			// the time of this loop.
			this.instances.add(startInstance(WebApplicationType.NONE));
		}
		gaps.sort(null);
		long median = gaps.get(gaps.size() / 2);
		long max = gaps.get(gaps.size() - 1);
		System.out.printf("fail-over over %d hand-overs (active instance stopped, server-side gap without a session):"
				+ " median %d ms, max %d ms%n", gaps.size(), median / 1_000_000, max / 1_000_000);
		assertThat(max).isLessThan(TAKEOVER.toNanos());
	}

	/**
	 * How long the server had no session of a client: the old one's close to the new
	 * one's open.
	 */
	private long gap(String client, String from, long since) {
		long closed = -1;
		for (SessionLedger.Change change : this.ledger.changes()) {
			if (change.nanos() < since || !change.client().equals(client)) {
				continue;
			}
			if (!change.opened() && change.instance().equals(from)) {
				closed = change.nanos();
			}
			else if (change.opened() && closed >= 0) {
				return change.nanos() - closed;
			}
		}
		throw new AssertionError("no hand-over of '" + client + "' from " + from + " in " + this.ledger.changes());
	}

	// ---- instances ----

	private Instance activeOn(String client) {
		return this.instances.stream()
			.filter((instance) -> instance.client(client).role() == ClusterRole.ACTIVE)
			.findFirst()
			.orElse(null);
	}

	private void stop(Instance instance) {
		this.instances.remove(instance);
		instance.close();
	}

	private Instance startInstance() {
		return startInstance(WebApplicationType.REACTIVE);
	}

	private Instance startInstance(WebApplicationType web) {
		String id = "i" + this.instanceIds.incrementAndGet();
		List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "server.port=0",
				"server.address=127.0.0.1", "spring.application.name=cluster-" + id,
				"cluster.datasource.url=" + this.postgres.getJdbcUrl("postgres", "postgres"),
				"management.endpoints.web.exposure.include=health,websockex",
				"management.endpoint.health.show-details=always", "management.endpoint.websockex.access=unrestricted",
				"websockex.cluster.lock-ttl=" + LOCK_TTL.toMillis() + "ms",
				"websockex.cluster.renewal-interval=" + RENEWAL.toMillis() + "ms"));
		for (String client : CLIENTS) {
			String prefix = "websockex.clients." + client + ".";
			properties.add(prefix + "url=" + this.ledger.url(client, id));
			properties.add(prefix + "cluster=single-active");
			properties.add(prefix + "platform=raw");
			properties.add(prefix + "retry-delay=" + RETRY_DELAY.toMillis() + "ms");
			properties.add(prefix + "shutdown-timeout=1s");
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterApp.class).web(web)
			.properties(properties.toArray(String[]::new))
			.run();
		return new Instance(id, context);
	}

	private JsonNode getJson(Instance instance, String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		return JsonMapper.shared().readTree(response.body());
	}

	private HttpResponse<String> post(Instance instance, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(instance.uri(path))
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static double gauge(Instance instance, String client) {
		return instance.context.getBean(MeterRegistry.class)
			.get("websockex.cluster.active")
			.tag("client", client)
			.gauge()
			.value();
	}

	/** One running instance of the service. */
	static final class Instance {

		final String id;

		final ConfigurableApplicationContext context;

		final List<String> events;

		final List<String> received;

		Instance(String id, ConfigurableApplicationContext context) {
			this.id = id;
			this.context = context;
			this.events = context.getBean(ClusterApp.class).events;
			this.received = context.getBean(ClusterApp.class).received;
		}

		WebsockexClient client(String name) {
			return this.context.getBean(WebsockexClients.class).get(name);
		}

		URI uri(String path) {
			int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
			return URI.create("http://127.0.0.1:" + port + path);
		}

		void close() {
			this.context.close();
		}

	}

	/** The service: two clusterered clients, a listener, and what it saw. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClusterApp {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		// Resources of its own for the web server: closing one instance must not dispose
		// of the JVM-wide Reactor Netty loops that the other instances' clients run on
		// (one instance per JVM in production; three here).
		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

		// The application's own DataSource: websockex makes a JdbcLockRegistry over it.
		// (Boot's DataSource auto-configuration is left off the test class path, where
		// every other test would then need a database.)
		@Bean(destroyMethod = "close")
		HikariDataSource dataSource(Environment environment) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(environment.getRequiredProperty("cluster.datasource.url"));
			dataSource.setMaximumPoolSize(4);
			dataSource.setConnectionTimeout(1000);
			return dataSource;
		}

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@WebsockexListener(client = "alpha")
		void onAlpha(String text) {
			this.received.add(text);
		}

		@EventListener
		void onActivated(WebsockexClientActivatedEvent event) {
			this.events.add("activated:" + event.getClientName());
		}

		@EventListener
		void onDeactivated(WebsockexClientDeactivatedEvent event) {
			this.events.add("deactivated:" + event.getClientName());
		}

	}

}
