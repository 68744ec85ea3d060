package io.websockex.adapter.internal.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link ConnectionLoop}'s state machine on its own: a fake {@link Connector} whose
 * sessions sit on in-memory channels, and every timer in virtual time, so each step is
 * taken by the test, deterministically, with no sockets and no waiting.
 */
class ConnectionLoopTests {

	// Everything here runs on the test thread: a bound that only guards against a hang.
	private static final Duration BOUND = Duration.ofSeconds(1);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final FakeConnector connector = new FakeConnector();

	private final List<ConnectionLoop> loops = new ArrayList<>();

	private @Nullable SessionSetup setup;

	private ClientCounters counters = new ClientCounters();

	@AfterEach
	void closeLoops() {
		this.loops.forEach(ConnectionLoop::close);
		this.time.dispose();
	}

	private Config.Builder config() {
		return Config.builder("ws://127.0.0.1:9/feed")
			.retryDelay(Duration.ofSeconds(1))
			.maxBackoff(Duration.ofSeconds(30))
			.backoffJitter(0)
			.connectTimeout(Duration.ofSeconds(5))
			.heartbeat(Heartbeat.none());
	}

	private ConnectionLoop loop(Config config) {
		ClientCounters counters = new ClientCounters();
		this.counters = counters;
		RequestCorrelator correlator = new RequestCorrelator("feed", config.requestTimeout(), this.time);
		RequestSender requests = new RequestSender(correlator, new JsonRpcCodec(JsonMapper.shared()), null);
		SessionSetup setup = new SessionSetup(config, counters, requests,
				new HeartbeatMonitor("feed", config.heartbeat()), new Subscriptions(config, requests), this.time);
		this.setup = setup;
		ConnectionLoop loop = new ConnectionLoop("feed", config, this.connector, setup, requests,
				new InboundBroadcast("feed", 16, counters), this.time, counters);
		this.loops.add(loop);
		return loop;
	}

	@Test
	void givesUpAfterRetryCountFailedAttemptsInARowWithDoublingBackoff() {
		ConnectionLoop loop = loop(config().retryCount(2).build());
		loop.start();
		this.connector.attempt(0).fail(new IOException("connection refused"));
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTING);

		this.time.advanceTimeBy(Duration.ofMillis(999));
		assertThat(this.connector.attempts).hasSize(1);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.connector.attempts).hasSize(2);
		this.connector.attempt(1).fail(new IOException("connection refused"));

		this.time.advanceTimeBy(Duration.ofMillis(1999));
		assertThat(this.connector.attempts).hasSize(2);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.connector.attempts).hasSize(3);
		this.connector.attempt(2).fail(new IOException("connection refused"));

		assertThat(loop.status().state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(loop.status().disconnectReason()).isEqualTo(DisconnectReason.GAVE_UP);
		assertThat(loop.status().lastError()).contains("connection refused");
		this.time.advanceTimeBy(Duration.ofMinutes(10));
		assertThat(this.connector.attempts).hasSize(3);
	}

	@Test
	void anUpgradeRejectedWith401IsFatalAndNeverRetried() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		this.connector.attempt(0).fail(rejected(HttpResponseStatus.UNAUTHORIZED));

		assertThat(loop.status().state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(loop.status().disconnectReason()).isEqualTo(DisconnectReason.FATAL_ERROR);
		assertThat(loop.status().lastError()).contains("HTTP 401");
		this.time.advanceTimeBy(Duration.ofMinutes(10));
		assertThat(this.connector.attempts).hasSize(1);
		StepVerifier.create(loop.status().awaitConnected())
			.expectErrorSatisfies((error) -> assertThat(error).hasMessageContaining("FATAL_ERROR"))
			.verify(BOUND);
	}

	@Test
	void closeDuringTheBackoffEndsTheLoopAndNoAttemptFollows() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		this.connector.attempt(0).fail(new IOException("connection refused"));
		assertThat(this.time.getScheduledTaskCount()).isPositive();

		StepVerifier.create(loop.close()).expectComplete().verify(BOUND);

		assertThat(loop.status().state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(loop.status().disconnectReason()).isEqualTo(DisconnectReason.CLOSED_BY_USER);
		assertThat(loop.status().isClosed()).isTrue();
		this.time.advanceTimeBy(Duration.ofMinutes(10));
		assertThat(this.connector.attempts).hasSize(1);
		StepVerifier.create(loop.status().states())
			.expectNext(ConnectionState.DISCONNECTED)
			.expectComplete()
			.verify(BOUND);
	}

	@Test
	void reconnectDuringTheBackoffAttemptsAtOnceAndTheOldTimerDoesNotFireASecondAttempt() {
		ConnectionLoop loop = loop(config().retryDelay(Duration.ofSeconds(10)).build());
		loop.start();
		this.connector.attempt(0).fail(new IOException("connection refused"));

		loop.reconnect().block(BOUND);

		assertThat(this.connector.attempts).hasSize(2);
		this.connector.attempt(1).open();
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTED);
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.connector.attempts).hasSize(2);
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void lateCallbacksFromAnOlderAttemptAreIgnored() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		FakeAttempt first = this.connector.attempt(0);
		// The first attempt hangs past connect-timeout: the loop moves on without it.
		this.time.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(first.disposed).isTrue();
		assertThat(loop.status().lastError()).contains("connect-timeout");
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		Session current = this.connector.attempt(1).open();
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTED);

		// Then its upgrade and its end arrive after all.
		Session late = first.open();
		first.fail(new IOException("late failure"));

		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(loop.current()).isSameAs(current);
		assertThat(late.isOpen()).as("the late session is dropped").isFalse();
		assertThat(current.isOpen()).isTrue();
		assertThat(this.connector.attempts).hasSize(2);
	}

	@Test
	void aSessionEndsForTheFirstCauseRecordedNotTheLast() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		Session session = this.connector.attempt(0).open();

		assertThat(session.end(new EndCause.HeartbeatDead("no pong 2 time(s) in a row (heartbeat.max-failures)")))
			.isTrue();
		assertThat(session.end(new EndCause.ServerClosed(1001, "going away"))).isFalse();
		this.connector.attempt(0).fail(new IOException("connection reset"));

		assertThat(loop.status().lastError()).isEqualTo("no pong 2 time(s) in a row (heartbeat.max-failures)");
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTING);
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.connector.attempts).hasSize(2);
	}

	@Test
	void aReconnectRequestOnALiveSessionClosesItAndConnectsAgainWithoutBackoff() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		FakeAttempt first = this.connector.attempt(0);
		first.open();

		loop.reconnect().block(BOUND);
		assertThat(first.closeSent).isTrue();
		first.end();

		assertThat(this.connector.attempts).hasSize(2);
		assertThat(loop.status().lastError()).isNull();
	}

	@Test
	void awaitFirstAttemptFailsWithTheFirstFailureWhileRetriesRemain() {
		ConnectionLoop loop = loop(config().build());
		Mono<Void> first = loop.status().awaitFirstAttempt();
		List<Throwable> errors = new ArrayList<>();
		AtomicBoolean done = new AtomicBoolean();
		Disposable waiting = first.subscribe(null, errors::add, () -> done.set(true));
		loop.start();
		assertThat(errors).isEmpty();

		this.connector.attempt(0).fail(new IOException("connection refused"));

		assertThat(errors).singleElement()
			.isInstanceOf(WebsockexException.class)
			.satisfies((error) -> assertThat(error).hasMessageContaining("'feed'")
				.hasMessageContaining("connection refused"));
		assertThat(done).isFalse();
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTING);
		waiting.dispose();
	}

	@Test
	void awaitFirstAttemptCompletesWhenTheFirstAttemptConnectsAndFailsIfClosedBefore() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		Mono<Void> first = loop.status().awaitFirstAttempt();
		this.connector.attempt(0).open();
		StepVerifier.create(first).expectComplete().verify(BOUND);

		ConnectionLoop other = loop(config().build());
		other.start();
		Mono<Void> never = other.status().awaitFirstAttempt();
		other.close();
		StepVerifier.create(never).expectError(ClientClosedException.class).verify(BOUND);
	}

	@Test
	void atNineTenthsOfMaxConnectionAgeTheNextSessionTakesOverAndTheStateStaysConnected() {
		ConnectionLoop loop = loop(config().maxConnectionAge(Duration.ofSeconds(10)).build());
		loop.start();
		Session first = this.connector.attempt(0).open();
		List<ConnectionState> states = new ArrayList<>();
		loop.status().states().subscribe(states::add);

		this.time.advanceTimeBy(Duration.ofMillis(8999));
		assertThat(this.connector.attempts).hasSize(1);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.connector.attempts).hasSize(2);
		assertThat(loop.current()).isSameAs(first);

		Session second = this.connector.attempt(1).open();
		assertThat(loop.current()).isSameAs(second);
		assertThat(this.connector.attempt(0).closeSent).as("old session closed").isTrue();
		assertThat(first.endCause()).isSameAs(EndCause.Rotated.INSTANCE);
		this.connector.attempt(0).end();

		assertThat(loop.current()).isSameAs(second);
		assertThat(states).containsExactly(ConnectionState.CONNECTED);
		assertThat(this.counters.get(ClientCounters.ROTATIONS)).isEqualTo(1);
		assertThat(this.counters.get(ClientCounters.RECONNECTS)).isZero();
		assertThat(loop.status().lastError()).isNull();
		assertThat(loop.status().lastRotationAt()).isNotNull();
		// The new session's age counts from its own start.
		this.time.advanceTimeBy(Duration.ofMillis(8999));
		assertThat(this.connector.attempts).hasSize(2);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.connector.attempts).hasSize(3);
	}

	@Test
	void whenTheNextSessionFailsTheCurrentOneStaysAndOnlyTheRotationFailureIsCounted() {
		ConnectionLoop loop = loop(config().maxConnectionAge(Duration.ofSeconds(10)).build());
		loop.start();
		Session first = this.connector.attempt(0).open();
		this.time.advanceTimeBy(Duration.ofSeconds(9));
		this.connector.attempt(1).fail(new IOException("connection refused"));

		assertThat(loop.current()).isSameAs(first);
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.connector.attempt(0).closeSent).isFalse();
		assertThat(first.endCause()).isNull();
		assertThat(this.counters.get(ClientCounters.ROTATION_FAILURES)).isEqualTo(1);
		assertThat(this.counters.get(ClientCounters.ROTATIONS)).isZero();
		assertThat(this.counters.get(ClientCounters.RECONNECTS)).isZero();
	}

	@Test
	void whenTheCurrentSessionDropsDuringARotationTheNextAttemptIsDroppedAndTheLoopReconnects() {
		ConnectionLoop loop = loop(config().maxConnectionAge(Duration.ofSeconds(10)).build());
		loop.start();
		this.connector.attempt(0).open();
		this.time.advanceTimeBy(Duration.ofSeconds(9));
		assertThat(this.connector.attempts).hasSize(2);

		this.connector.attempt(0).end();
		assertThat(this.connector.attempt(1).disposed).isTrue();
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTING);
		// A late upgrade of the dropped attempt is closed, not taken.
		Session late = this.connector.attempt(1).open();
		assertThat(loop.current()).isNull();
		assertThat(late.isOpen()).isFalse();

		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.connector.attempts).hasSize(3);
		Session next = this.connector.attempt(2).open();
		assertThat(loop.current()).isSameAs(next);
		assertThat(this.counters.get(ClientCounters.RECONNECTS)).isEqualTo(1);
		assertThat(this.counters.get(ClientCounters.ROTATIONS)).isZero();
	}

	// start() while a disconnect() still waits for the close handshake: the start must
	// not be lost (a gate that re-activates a client it has just deactivated, or a caller
	// that does not wait for disconnect()'s Mono); it takes effect once the old session
	// is closed, so that the two sessions are never open at once.
	@Test
	void aStartDuringADisconnectStillClosingConnectsAgainOnceTheOldSessionIsClosed() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		FakeAttempt first = this.connector.attempt(0);
		Session old = first.open();

		Mono<Void> disconnected = loop.disconnect();
		assertThat(first.closeSent).isTrue();
		loop.start();
		assertThat(this.connector.attempts).as("no second session while the first is open").hasSize(1);

		first.end();
		StepVerifier.create(disconnected).expectComplete().verify(BOUND);
		assertThat(old.endCause()).isSameAs(EndCause.ClosedByUser.INSTANCE);
		assertThat(this.connector.attempts).as("the start() made during the disconnect").hasSize(2);
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTING);
		Session next = this.connector.attempt(1).open();
		assertThat(loop.current()).isSameAs(next);
		assertThat(loop.status().state()).isEqualTo(ConnectionState.CONNECTED);
	}

	// The last call wins: a disconnect() or close() after that start() cancels it.
	@Test
	void aDisconnectOrCloseAfterAStartMadeDuringADisconnectWins() {
		ConnectionLoop loop = loop(config().build());
		loop.start();
		FakeAttempt first = this.connector.attempt(0);
		first.open();
		loop.disconnect();
		loop.start();
		Mono<Void> again = loop.disconnect();
		first.end();
		StepVerifier.create(again).expectComplete().verify(BOUND);
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.connector.attempts).hasSize(1);
		assertThat(loop.status().state()).isEqualTo(ConnectionState.DISCONNECTED);

		loop.start();
		FakeAttempt second = this.connector.attempt(1);
		second.open();
		loop.disconnect();
		loop.start();
		Mono<Void> closed = loop.close();
		second.end();
		StepVerifier.create(closed).expectComplete().verify(BOUND);
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.connector.attempts).hasSize(2);
		assertThat(loop.status().isClosed()).isTrue();
	}

	// close() while a rotation's new session is being prepared (its restore unanswered):
	// the new session is dropped, never switched in, the old one closed; close()
	// completes once the old one has ended, and nothing connects after.
	@Test
	void closeWhileARotationsNextSessionIsPreparedDropsItAndClosesTheCurrentOne() {
		ConnectionLoop loop = loop(
				config().maxConnectionAge(Duration.ofSeconds(10)).subscriptions(List.of("ticker")).build());
		loop.start();
		FakeAttempt first = this.connector.attempt(0);
		Session old = first.open();
		this.time.advanceTimeBy(Duration.ofSeconds(9));
		Session next = this.connector.attempt(1).open();
		assertThat(loop.current()).as("not switched before its restore is answered").isSameAs(old);

		Mono<Void> closed = loop.close();
		assertThat(this.connector.attempt(1).disposed).isTrue();
		assertThat(next.isOpen()).isFalse();
		assertThat(first.closeSent).isTrue();
		first.end();

		StepVerifier.create(closed).expectComplete().verify(BOUND);
		assertThat(loop.current()).isNull();
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.connector.attempts).hasSize(2);
		assertThat(this.counters.get(ClientCounters.ROTATIONS)).isZero();
	}

	private static WebSocketClientHandshakeException rejected(HttpResponseStatus status) {
		return new WebSocketClientHandshakeException("Invalid handshake response getStatus: " + status,
				new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status));
	}

	/** Opens nothing: the test decides when each attempt connects, fails or ends. */
	private final class FakeConnector implements Connector {

		final List<FakeAttempt> attempts = new ArrayList<>();

		@Override
		public Disposable open(long generation, Attempt attempt) {
			FakeAttempt fake = new FakeAttempt(generation, attempt);
			this.attempts.add(fake);
			return () -> fake.disposed = true;
		}

		FakeAttempt attempt(int index) {
			assertThat(this.attempts).hasSizeGreaterThan(index);
			return this.attempts.get(index);
		}

	}

	private final class FakeAttempt {

		final long generation;

		final Connector.Attempt listener;

		boolean disposed;

		boolean closeSent;

		FakeAttempt(long generation, Connector.Attempt listener) {
			this.generation = generation;
			this.listener = listener;
		}

		/** The upgrade succeeds: a session over an in-memory channel. */
		Session open() {
			EmbeddedChannel channel = new EmbeddedChannel();
			SessionSetup setup = ConnectionLoopTests.this.setup;
			assertThat(setup).isNotNull();
			Session session = setup.create(this.generation, Connection.from(channel), (code, reason) -> {
				this.closeSent = true;
				return Mono.empty();
			});
			this.listener.opened(session);
			return session;
		}

		void fail(Throwable error) {
			this.listener.ended(error);
		}

		void end() {
			this.listener.ended(null);
		}

	}

}
