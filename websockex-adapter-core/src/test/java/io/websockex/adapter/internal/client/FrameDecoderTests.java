package io.websockex.adapter.internal.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.test.RawFrameServer;
import io.websockex.adapter.testing.RawServerClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's own frame decoder ({@link FrameDecoder}) against a server that writes
 * frames of every length encoding, packed several to a write and cut at arbitrary bytes,
 * with control frames and fragments in between: every message arrives whole, once, in
 * order, and the session stays up.
 */
class FrameDecoderTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	final RawServerClients raw = new RawServerClients();

	@Test
	void framesCutAtAnyByteAndPackedTogetherArriveWholeAndInOrder() throws Exception {
		Random random = new Random(19);
		List<String> expected = new ArrayList<>();
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		// Lengths around each encoding's edges: 7-bit, 16-bit and 64-bit.
		int[] lengths = { 0, 1, 125, 126, 127, 300, 65535, 65536, 70_000 };
		for (int round = 0; round < 4; round++) {
			for (int length : lengths) {
				String text = text(random, length, false);
				expected.add(text);
				wire.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT,
						text.getBytes(StandardCharsets.UTF_8), false));
				wire.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.PING, new byte[] { 9 }, false));
			}
			// A fragmented message, with a pong between its fragments.
			String whole = text(random, 200, true);
			expected.add(whole);
			byte[] bytes = whole.getBytes(StandardCharsets.UTF_8);
			wire.writeBytes(RawFrameServer.Connection.frame(false, 0, RawFrameServer.TEXT,
					Arrays.copyOfRange(bytes, 0, 50), false));
			wire.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.PONG, new byte[0], false));
			wire.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.CONTINUATION,
					Arrays.copyOfRange(bytes, 50, bytes.length), false));
		}
		byte[] all = wire.toByteArray();
		this.raw.serve(RawFrameServer.start((connection, index) -> {
			// Cuts of 1 to 40 bytes, then of up to 9,000: headers split between reads,
			// and several frames in one read.
			Random cuts = new Random(7);
			int offset = 0;
			while (offset < all.length) {
				int cut = Math.min(all.length - offset,
						(offset < 4_000) ? 1 + cuts.nextInt(40) : 1 + cuts.nextInt(9_000));
				connection.writeRaw(Arrays.copyOfRange(all, offset, offset + cut));
				offset += cut;
			}
			connection.awaitClientClose();
		}));
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = this.raw.create("frames", this.raw.fastRetries().build());
		client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
		client.start();

		await().atMost(WAIT).until(() -> received.size() >= expected.size());
		assertThat(received).containsExactlyElementsOf(expected);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(client.metrics().connectionFailures()).isZero();
		assertThat(this.raw.server().connections()).isEqualTo(1);
	}

	@Test
	void aFrameHeaderOverMaxFrameSizeClosesWith1009BeforeItsPayloadIsSent() throws Exception {
		List<Integer> codes = new CopyOnWriteArrayList<>();
		this.raw.serve(RawFrameServer.start((connection, index) -> {
			if (index == 0) {
				// Only the header of a 2 GB frame: the client must not wait for it.
				byte[] header = { (byte) 0x81, 127, 0, 0, 0, 0, (byte) 0x80, 0, 0, 0 };
				connection.writeRaw(header);
				codes.add(connection.awaitClientClose());
			}
			else {
				connection.writeFrame(true, 0, RawFrameServer.TEXT, "again".getBytes(StandardCharsets.UTF_8));
				connection.awaitClientClose();
			}
		}));
		List<String> received = new CopyOnWriteArrayList<>();
		this.raw.start("big", this.raw.fastRetries().build(), received::add);

		await().atMost(WAIT).until(() -> received.contains("again"));
		assertThat(codes).containsExactly(1009);
	}

	// ASCII keeps a length in characters equal to the length in bytes; the other kind
	// has two- and three-byte characters, which a fragment may cut.
	private static String text(Random random, int length, boolean multiByte) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			int pick = multiByte ? random.nextInt(5) : 4;
			text.append((pick == 0) ? 'é' : (pick == 1) ? '€' : (char) ('a' + random.nextInt(26)));
		}
		return text.toString();
	}

}
