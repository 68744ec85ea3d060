package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.websockex.adapter.ActivationGate;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.NotActiveException;
import io.websockex.adapter.NotConnectedException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client behind an {@link ActivationGate}, driven by a gate the test holds, against a
 * real server: a standby is created but not connected, connects when activated, and is
 * disconnected before the gate is left.
 */
class GatedClientTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private final RecordingGate gate = new RecordingGate();

	private WebsockexClient gated(String name) {
		Config config = Config.builder(this.live.server().url()).activationGate(this.gate).build();
		return this.live.track(WebsockexClient.create(name, config));
	}

	@Test
	void aStartedStandbyJoinsTheGateButDoesNotConnect() {
		WebsockexClient client = gated("feed");
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		assertThat(this.gate.joined).containsExactly("feed");
		assertThat(client.role()).isEqualTo(ClusterRole.STANDBY);
		assertThat(client.activeSince()).isNull();
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(this.live.server().upgradeRequests()).isEmpty();
	}

	@Test
	void aStandbysSendsAndRequestsFailAtOnceSayingItIsActiveElsewhere() {
		WebsockexClient client = gated("feed");
		client.start();
		StepVerifier.create(client.send("hello"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(NotActiveException.class)
				.isInstanceOf(NotConnectedException.class)
				.hasMessageContaining("'feed'")
				.hasMessageContaining("active on another instance"))
			.verify(WAIT);
		StepVerifier.create(client.request("public/get_time", List.of()))
			.expectError(NotActiveException.class)
			.verify(WAIT);
	}

	@Test
	void activationConnectsAndSubscribersMadeOnTheStandbyReceive() {
		WebsockexClient client = gated("feed");
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		this.gate.member.get().activate();
		client.awaitConnected().block(WAIT);
		assertThat(client.role()).isEqualTo(ClusterRole.ACTIVE);
		assertThat(client.activeSince()).isNotNull();
		this.live.server().send("tick");
		await().atMost(WAIT).until(() -> received.contains("tick"));
		client.send("hello").block(WAIT);
	}

	@Test
	void deactivationDisconnectsBeforeItsMonoCompletes() {
		WebsockexClient client = gated("feed");
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		this.gate.member.get().activate();
		client.awaitConnected().block(WAIT);
		this.gate.member.get().deactivate().block(WAIT);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(client.role()).isEqualTo(ClusterRole.STANDBY);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().isEmpty());
		this.gate.member.get().activate();
		client.awaitConnected().block(WAIT);
	}

	// A gate that activates again before its deactivation's disconnect has finished (a
	// renewal that hung, then came back): the client must connect again, not stay
	// disconnected while the gate holds it active.
	@Test
	void anActivationWhileTheDeactivationStillClosesConnectsOnceTheOldSessionIsClosed() {
		WebsockexClient client = gated("feed");
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		ActivationGate.Member member = this.gate.member.get();
		member.activate();
		client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);

		member.deactivate().subscribe();
		member.activate();

		// (awaitConnected() would not do: the state is still CONNECTED while the first
		// session closes.)
		await().atMost(WAIT)
			.until(() -> this.live.server().upgradeRequests().size() == 2
					&& client.state() == ConnectionState.CONNECTED);
		assertThat(client.role()).isEqualTo(ClusterRole.ACTIVE);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
	}

	// close() closes at the call, as a plain client's does (its Mono only reports when):
	// a caller that does not subscribe must not leave the session open.
	@Test
	void closeClosesTheSessionAndLeavesTheGateWithoutWaitingForItsMono() {
		WebsockexClient client = gated("feed");
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		this.gate.member.get().activate();
		client.awaitConnected().block(WAIT);

		client.close();

		await().atMost(WAIT).until(() -> this.live.server().openConnections().isEmpty());
		await().atMost(WAIT).until(() -> this.gate.left.get() == 1);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
	}

	@Test
	void disconnectClosesTheSessionBeforeLeavingTheGate() {
		WebsockexClient client = gated("feed");
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		this.gate.member.get().activate();
		client.awaitConnected().block(WAIT);
		this.gate.onLeave = () -> this.gate.stateAtLeave.set(client.state());
		client.disconnect().block(WAIT);
		assertThat(this.gate.left).hasValue(1);
		assertThat(this.gate.stateAtLeave).hasValue(ConnectionState.DISCONNECTED);
		client.start();
		await().atMost(WAIT).until(() -> this.gate.joined.size() == 2);
	}

	@Test
	void yieldingAsksTheGateAndCompletesOnceTheClientIsAStandby() {
		WebsockexClient client = gated("feed");
		client.start();
		await().atMost(WAIT).until(() -> this.gate.member.get() != null);
		this.gate.member.get().activate();
		client.awaitConnected().block(WAIT);
		client.yieldActivation().block(WAIT);
		assertThat(this.gate.yields).hasValue(1);
		assertThat(client.role()).isEqualTo(ClusterRole.STANDBY);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().isEmpty());
	}

	@Test
	void aClientWithoutAGateHasNoRoleAndCannotYield() {
		WebsockexClient client = this.live
			.track(WebsockexClient.create("plain", Config.builder(this.live.server().url()).build()));
		assertThat(client.role()).isEqualTo(ClusterRole.NONE);
		StepVerifier.create(client.yieldActivation())
			.expectErrorSatisfies(
					(error) -> assertThat(error).hasMessageContaining("websockex.clients.plain.cluster=single-active"))
			.verify(WAIT);
	}

	/** A gate the test drives by hand. */
	static final class RecordingGate implements ActivationGate {

		final List<String> joined = new CopyOnWriteArrayList<>();

		final AtomicReference<Member> member = new AtomicReference<>();

		final AtomicInteger left = new AtomicInteger();

		final AtomicInteger yields = new AtomicInteger();

		final AtomicReference<ConnectionState> stateAtLeave = new AtomicReference<>();

		volatile Runnable onLeave = () -> {
		};

		@Override
		public Registration join(String client, Member member) {
			this.joined.add(client);
			this.member.set(member);
			return new Registration() {

				@Override
				public void leave() {
					RecordingGate.this.onLeave.run();
					RecordingGate.this.left.incrementAndGet();
				}

				@Override
				public void yieldActivation() {
					RecordingGate.this.yields.incrementAndGet();
					member.deactivate().subscribe();
				}

			};
		}

	}

}
