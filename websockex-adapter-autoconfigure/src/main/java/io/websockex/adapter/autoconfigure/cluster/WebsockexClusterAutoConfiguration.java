package io.websockex.adapter.autoconfigure.cluster;

import javax.sql.DataSource;

import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.autoconfigure.WebsockexProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * One live connection per client across the instances of a service, for the clients with
 * {@code websockex.clients.<name>.cluster=single-active} (nothing at all without one):
 * leader election with Spring Integration's {@link LockRegistryLeaderInitiator} over the
 * application's {@link LockRegistry} bean, or over a {@link JdbcLockRegistry} made here
 * when there is none but {@code spring-integration-jdbc} and a {@link DataSource} are
 * present. Without Spring Integration, start-up fails naming the property and the
 * dependency to add.
 */
@AutoConfiguration(beforeName = "io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration",
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "websockex.enabled", matchIfMissing = true)
@Conditional(OnSingleActiveClientCondition.class)
@EnableConfigurationProperties(WebsockexProperties.class)
public final class WebsockexClusterAutoConfiguration {

	private static final String ADD_SPRING_INTEGRATION = "Add org.springframework.integration:spring-integration-core "
			+ "with a LockRegistry the instances share: spring-integration-jdbc and a DataSource (a JdbcLockRegistry "
			+ "is then made for you), or a RedisLockRegistry, ZookeeperLockRegistry or Hazelcast lock registry bean";

	private static final String DECLARE_LOCK_REGISTRY = "Declare a LockRegistry bean the instances share "
			+ "(RedisLockRegistry, ZookeeperLockRegistry, Hazelcast, JdbcLockRegistry), or add "
			+ "org.springframework.integration:spring-integration-jdbc and configure a DataSource (a "
			+ "JdbcLockRegistry is then made for you)";

	// Each nested configuration carries its own conditions: a scan of this package (a
	// test application's) registers nested classes on their own.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LockRegistryLeaderInitiator.class)
	@Conditional(OnSingleActiveClientCondition.class)
	@EnableConfigurationProperties(WebsockexProperties.class)
	static class LeaderElectionConfiguration {

		@Bean
		SingleActiveCustomizer websockexSingleActiveCustomizer(Environment environment, WebsockexProperties properties,
				ObjectProvider<LockRegistry<?>> registries, ApplicationEventPublisher publisher,
				ObjectProvider<WebsockexClients> clients) {
			ClusterTimings timings = ClusterTimings.of(properties.getCluster());
			return new SingleActiveCustomizer(ClusterModes.of(environment), () -> {
				LockRegistry<?> registry = registries.getIfUnique();
				return (registry != null)
						? new LeaderElectionGate(registry, timings, publisher, (name) -> find(clients, name)) : null;
			}, DECLARE_LOCK_REGISTRY);
		}

		private static WebsockexClient find(ObjectProvider<WebsockexClients> clients, String name) {
			WebsockexClients all = clients.getIfAvailable();
			return (all != null && all.names().contains(name)) ? all.get(name) : null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ LockRegistryLeaderInitiator.class, JdbcLockRegistry.class })
	@Conditional(OnSingleActiveClientCondition.class)
	@EnableConfigurationProperties(WebsockexProperties.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnMissingBean(LockRegistry.class)
	static class JdbcLockRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean(LockRepository.class)
		DefaultLockRepository websockexLockRepository(DataSource dataSource) {
			return new DefaultLockRepository(dataSource);
		}

		@Bean
		JdbcLockRegistry websockexLockRegistry(LockRepository repository, WebsockexProperties properties) {
			return new JdbcLockRegistry(repository, properties.getCluster().getLockTtl());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.integration.support.leader.LockRegistryLeaderInitiator")
	@Conditional(OnSingleActiveClientCondition.class)
	static class MissingSpringIntegrationConfiguration {

		@Bean
		SingleActiveCustomizer websockexSingleActiveCustomizer(Environment environment) {
			return new SingleActiveCustomizer(ClusterModes.of(environment), () -> null, ADD_SPRING_INTEGRATION);
		}

	}

}
