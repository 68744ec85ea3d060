package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.testing.LiveClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code outbound-buffer} against a server that stops reading: the socket fills, frames
 * wait, and the one beyond the bound fails with {@link BufferOverflowException} while the
 * connection stays up.
 */
class OutboundBackpressureTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int OUTBOUND_BUFFER = 8;

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	@Test
	void aServerThatStopsReadingFillsTheSocketThenTheBufferAndTheNextSendOverflowsWhileTheConnectionStaysUp() {
		AtomicInteger received = new AtomicInteger();
		this.live.server().onText((session, text) -> received.incrementAndGet());
		WebsockexClient client = this.live.connect("backpressured",
				Config.builder(this.live.server().url()).outboundBuffer(OUTBOUND_BUFFER).build());
		// Freeze acts on the connections the server has registered: wait for this one.
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().freeze();
		String frame = "x".repeat(64 * 1024);

		// Fill the socket: write until a frame stays unwritten for a whole second.
		int written = 0;
		Mono<Void> stuck = null;
		while (stuck == null && written < 4000) {
			Mono<Void> send = client.send(frame).cache();
			send.subscribe(null, (error) -> {
			});
			if (completesWithin(send, Duration.ofMillis(200)) || completesWithin(send, Duration.ofSeconds(1))) {
				written++;
			}
			else {
				stuck = send;
			}
		}
		assertThat(stuck).as("a frame left waiting after %d were written", written).isNotNull();

		// The stuck frame and seven more fill the outbound buffer of eight.
		List<Throwable> pendingErrors = new CopyOnWriteArrayList<>();
		AtomicInteger pendingDone = new AtomicInteger();
		stuck.subscribe(null, pendingErrors::add, pendingDone::incrementAndGet);
		for (int i = 1; i < OUTBOUND_BUFFER; i++) {
			client.send(frame).subscribe(null, pendingErrors::add, pendingDone::incrementAndGet);
		}
		StepVerifier.create(client.send("one too many"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BufferOverflowException.class)
				.hasMessageContaining("'backpressured'")
				.hasMessageContaining("outbound-buffer"))
			.verify(WAIT);
		assertThat(pendingErrors).isEmpty();
		assertThat(pendingDone).hasValue(0);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);

		// The server reads again: every frame that waited in the outbound buffer is
		// written and read after the thaw, then the next send. (The test server drops
		// what it had already read at the instant of the freeze, so only frames
		// written after it are counted.)
		int readBeforeThaw = received.get();
		this.live.server().thaw();
		await().atMost(WAIT).until(() -> pendingDone.get() == OUTBOUND_BUFFER);
		assertThat(pendingErrors).isEmpty();
		client.send("after").block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().receivedTexts().contains("after"));
		assertThat(received.get() - readBeforeThaw).as("frames read after the thaw")
			.isGreaterThanOrEqualTo(OUTBOUND_BUFFER + 1);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	private static boolean completesWithin(Mono<Void> send, Duration timeout) {
		try {
			send.block(timeout);
			return true;
		}
		catch (IllegalStateException timedOut) {
			return false;
		}
	}

}
