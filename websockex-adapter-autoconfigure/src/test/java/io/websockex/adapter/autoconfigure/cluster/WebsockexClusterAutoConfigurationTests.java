package io.websockex.adapter.autoconfigure.cluster;

import java.time.Duration;

import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration;
import io.websockex.adapter.autoconfigure.WebsockexConfigurationException;
import io.websockex.adapter.autoconfigure.WebsockexProperties;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wiring of {@link WebsockexClusterAutoConfiguration}: nothing without
 * {@code single-active}, the application's {@link LockRegistry} when there is one, and a
 * start-up failure naming the property and what to add when there is nothing to elect
 * with.
 */
class WebsockexClusterAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(WebsockexClusterAutoConfiguration.class, WebsockexAutoConfiguration.class));

	private WebsockexTestServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void addsNothingWhenNoClientIsSingleActive() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.feed.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SingleActiveCustomizer.class);
				assertThat(context).doesNotHaveBean(LockRegistry.class);
				WebsockexClient feed = context.getBean("feedWebsockexClient", WebsockexClient.class);
				assertThat(feed.role()).isEqualTo(ClusterRole.NONE);
				assertThat(feed.config().activationGate()).isNull();
			});
	}

	@Test
	void electsOverTheApplicationsLockRegistryAndConnectsTheLeader() {
		this.server = WebsockexTestServer.raw();
		this.runner.withUserConfiguration(InMemoryLocks.class)
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.cluster=single-active", "websockex.clients.other.url=" + this.server.url(),
					"websockex.clients.other.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBeans(LockRegistry.class).containsOnlyKeys("locks");
				WebsockexClient feed = context.getBean("feedWebsockexClient", WebsockexClient.class);
				assertThat(feed.config().activationGate()).isNotNull();
				feed.awaitConnected().block(WAIT);
				assertThat(feed.role()).isEqualTo(ClusterRole.ACTIVE);
				assertThat(feed.activeSince()).isNotNull();
				assertThat(context.getBean("otherWebsockexClient", WebsockexClient.class).role())
					.isEqualTo(ClusterRole.NONE);
			});
		// Closing the context disconnected the leader before releasing its lock.
		await().atMost(WAIT).until(() -> this.server.openConnections().isEmpty());
	}

	@Test
	void failsNamingThePropertyAndWhatToAddWithoutALockRegistry() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.feed.cluster=single-active")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(WebsockexConfigurationException.class, (ex) -> {
						assertThat(ex.fullProperty()).isEqualTo("websockex.clients.feed.cluster");
						assertThat(ex.getMessage()).contains("single-active");
						assertThat(ex.action()).contains("LockRegistry")
							.contains("org.springframework.integration:spring-integration-jdbc")
							.contains("DataSource");
					});
			});
	}

	@Test
	void failsNamingSpringIntegrationWhenItIsNotOnTheClassPath() {
		this.runner.withClassLoader(new FilteredClassLoader(LockRegistryLeaderInitiator.class))
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.feed.cluster=single-active")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(WebsockexConfigurationException.class, (ex) -> {
						assertThat(ex.fullProperty()).isEqualTo("websockex.clients.feed.cluster");
						assertThat(ex.action()).contains("org.springframework.integration:spring-integration-core");
					});
			});
	}

	@Test
	void rejectsARenewalIntervalNotWellInsideTheLockTtl() {
		this.runner.withUserConfiguration(InMemoryLocks.class)
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.feed.cluster=single-active", "websockex.clients.feed.auto-startup=false",
					"websockex.cluster.lock-ttl=10s", "websockex.cluster.renewal-interval=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("websockex.cluster.renewal-interval");
						assertThat(ex.getReason()).contains("a third of websockex.cluster.lock-ttl");
					});
			});
	}

	@Test
	void aClientInheritsSingleActiveFromTheDefaultsAndMayOptOut() {
		this.runner.withUserConfiguration(InMemoryLocks.class)
			.withPropertyValues("websockex.defaults.cluster=single-active", "websockex.defaults.auto-startup=false",
					"websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.own.url=ws://127.0.0.1:9/own", "websockex.clients.own.cluster=none")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("feedWebsockexClient", WebsockexClient.class).config().activationGate())
					.isNotNull();
				assertThat(context.getBean("ownWebsockexClient", WebsockexClient.class).config().activationGate())
					.isNull();
			});
	}

	@Test
	void theClusterKeysAreKnownToTheUnknownKeyCheck() {
		this.runner.withUserConfiguration(InMemoryLocks.class)
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.feed.cluster=single-active", "websockex.clients.feed.auto-startup=false",
					"websockex.cluster.lock-ttl=30s", "websockex.cluster.renewal-interval=2s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failFastDoesNotFailTheStartOfAStandby() {
		this.runner.withUserConfiguration(InMemoryLocks.class)
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:9/feed",
					"websockex.clients.feed.cluster=single-active", "websockex.clients.feed.fail-fast=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theDefaultsKeepRenewalWellInsideTheLockTtl() {
		ClusterTimings timings = ClusterTimings.of(new WebsockexProperties.Cluster());
		assertThat(timings.renewalInterval().multipliedBy(3)).isLessThanOrEqualTo(timings.lockTtl());
		assertThat(timings.giveUpAfter()).isLessThan(timings.lockTtl()).isGreaterThan(timings.renewalInterval());
	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryLocks {

		// A real registry, local to this JVM: enough to elect among one instance.
		@Bean
		LockRegistry<?> locks() {
			return new DefaultLockRegistry();
		}

	}

}
