package io.websockex.adapter.autoconfigure.cluster;

import java.util.function.Function;

import io.websockex.adapter.ActivationGate;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.autoconfigure.WebsockexClientActivatedEvent;
import io.websockex.adapter.autoconfigure.WebsockexClientDeactivatedEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The {@link ActivationGate} of the clients with {@code cluster: single-active}: each
 * client that joins gets its own leader election ({@link ClientLeadership}) over the
 * application's {@link LockRegistry}, and role changes become application events.
 */
final class LeaderElectionGate implements ActivationGate {

	private static final Logger logger = LoggerFactory.getLogger(LeaderElectionGate.class);

	private final LockRegistry<?> registry;

	private final ClusterTimings timings;

	private final ApplicationEventPublisher publisher;

	private final Function<String, @Nullable WebsockexClient> clients;

	LeaderElectionGate(LockRegistry<?> registry, ClusterTimings timings, ApplicationEventPublisher publisher,
			Function<String, @Nullable WebsockexClient> clients) {
		this.registry = registry;
		this.timings = timings;
		this.publisher = publisher;
		this.clients = clients;
	}

	ClusterTimings timings() {
		return this.timings;
	}

	@Override
	public Registration join(String client, Member member) {
		ClientLeadership leadership = new ClientLeadership(client, member, this.registry, this.timings, new Events());
		leadership.start();
		return leadership;
	}

	/** Role changes as application events, published off the election's thread. */
	private final class Events implements ClientLeadership.ActivationListener {

		@Override
		public void activated(String client) {
			publish(client, (source) -> new WebsockexClientActivatedEvent(source));
		}

		@Override
		public void deactivated(String client, String reason) {
			publish(client, (source) -> new WebsockexClientDeactivatedEvent(source, reason));
		}

		private void publish(String client, Function<WebsockexClient, ApplicationEvent> event) {
			Schedulers.boundedElastic().schedule(() -> {
				try {
					WebsockexClient source = LeaderElectionGate.this.clients.apply(client);
					if (source != null) {
						LeaderElectionGate.this.publisher.publishEvent(event.apply(source));
					}
				}
				catch (RuntimeException ex) {
					// A listener's failure, or a context already closing: election goes
					// on.
					logger.warn("websockex client '{}': publishing a cluster event failed: {}", client, ex.toString());
				}
			});
		}

	}

}
