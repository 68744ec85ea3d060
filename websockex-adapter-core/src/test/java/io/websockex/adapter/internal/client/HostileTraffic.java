package io.websockex.adapter.internal.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.websockex.adapter.test.RawFrameServer;

import static io.websockex.adapter.test.RawFrameServer.BINARY;
import static io.websockex.adapter.test.RawFrameServer.CLOSE;
import static io.websockex.adapter.test.RawFrameServer.CONTINUATION;
import static io.websockex.adapter.test.RawFrameServer.PING;
import static io.websockex.adapter.test.RawFrameServer.PONG;
import static io.websockex.adapter.test.RawFrameServer.RSV1;
import static io.websockex.adapter.test.RawFrameServer.TEXT;

/**
 * Seeded random mutations of valid WebSocket traffic, one connection's worth at a time:
 * some frames the client must deliver (odd JSON, binary, fragments with pings between
 * them, invalid UTF-8, compressed messages), then one frame that RFC 6455 or RFC 7692
 * says must end the connection, with the close code the client must answer with.
 */
final class HostileTraffic {

	/** What the client does when the connection ends on its own (truncated frame). */
	static final int NO_CLOSE_FRAME = -1;

	/** Any close code a client may answer a valid server close with. */
	static final int ANY_VALID = 0;

	static final int MAX_FRAME_SIZE = 1024 * 1024;

	private static final Set<Integer> INVALID_CLOSE_CODES = Set.of(0, 1, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999);

	private static final int[] VALID_CLOSE_CODES = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4000,
			4999 };

	private HostileTraffic() {
	}

	/**
	 * One connection's traffic.
	 *
	 * @param writes the bytes to write, in order
	 * @param deliveries what {@code messages()} must receive, described by
	 * {@link #describe}
	 * @param cases benign cases plus the terminal one
	 * @param pings pings the client must answer with a pong
	 * @param closeCode the close code the client must send, {@link #NO_CLOSE_FRAME} or
	 * {@link #ANY_VALID}
	 * @param dropAllowed whether dropping the connection without a close frame is right
	 * too: after the server's own close frame, whose handshake has begun (Netty answers a
	 * bad one so; the Autobahn suite accepts either)
	 * @param terminal the terminal case, for failure reports
	 */
	record Plan(List<byte[]> writes, List<String> deliveries, int cases, int pings, int closeCode, boolean dropAllowed,
			String terminal) {

		boolean counted() {
			return this.closeCode == 1002 || this.closeCode == 1007 || this.closeCode == 1009;
		}

	}

	static String describeText(String text) {
		return "T:" + text;
	}

	static String describeBinary(byte[] bytes) {
		return "B:" + bytes.length + ":" + Arrays.hashCode(bytes);
	}

	static Plan plan(Random random, boolean deflate) {
		Builder plan = new Builder(random, deflate);
		int benign = random.nextInt(9);
		for (int i = 0; i < benign; i++) {
			plan.benign();
		}
		plan.terminal();
		return plan.build();
	}

	private static final class Builder {

		private final Random random;

		private final boolean deflate;

		private final List<byte[]> writes = new ArrayList<>();

		private final List<String> deliveries = new ArrayList<>();

		private int cases;

		private int pings;

		private int closeCode;

		private String terminal = "";

		private boolean dropAllowed;

		Builder(Random random, boolean deflate) {
			this.random = random;
			this.deflate = deflate;
		}

		Plan build() {
			return new Plan(this.writes, this.deliveries, this.cases, this.pings, this.closeCode, this.dropAllowed,
					this.terminal);
		}

		private void write(boolean fin, int rsv, int opcode, byte[] payload) {
			this.writes.add(RawFrameServer.Connection.frame(fin, rsv, opcode, payload, false));
		}

		void benign() {
			this.cases++;
			switch (this.random.nextInt(9)) {
				case 0, 1, 2 -> text(oddJson());
				case 3 -> {
					byte[] bytes = bytes(this.random.nextInt(300));
					write(true, 0, BINARY, bytes);
					this.deliveries.add(describeBinary(bytes));
				}
				case 4 -> fragmented(utf8(oddJson()), TEXT);
				case 5 -> {
					write(true, 0, PING, bytes(this.random.nextInt(126)));
					this.pings++;
				}
				case 6 -> write(true, 0, PONG, bytes(this.random.nextInt(126)));
				case 7 -> {
					// Not UTF-8: delivered as the decoder reads it, never a reason to
					// close.
					byte[] bytes = { 'x', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0,
							(byte) 0x80 };
					write(true, 0, TEXT, bytes);
					this.deliveries.add(describeText(new String(bytes, StandardCharsets.UTF_8)));
				}
				default -> {
					if (this.deflate) {
						compressed(oddJson());
					}
					else {
						text("");
					}
				}
			}
		}

		private void text(String text) {
			write(true, 0, TEXT, utf8(text));
			this.deliveries.add(describeText(text));
		}

		private void compressed(String text) {
			byte[] utf8 = utf8(text);
			if (this.random.nextBoolean() || utf8.length < 2) {
				write(true, RSV1, TEXT, RawFrameServer.deflate(utf8));
			}
			else {
				int cut = 1 + this.random.nextInt(utf8.length - 1);
				List<byte[]> fragments = RawFrameServer.deflateFragments(Arrays.copyOfRange(utf8, 0, cut),
						Arrays.copyOfRange(utf8, cut, utf8.length));
				write(false, RSV1, TEXT, fragments.get(0));
				maybePing();
				write(true, 0, CONTINUATION, fragments.get(1));
			}
			this.deliveries.add(describeText(text));
		}

		// Fragments cut anywhere, even inside a UTF-8 sequence, with pings between them.
		private void fragmented(byte[] message, int opcode) {
			int fragments = 2 + this.random.nextInt(3);
			int start = 0;
			for (int i = 0; i < fragments; i++) {
				boolean last = i == fragments - 1;
				int end = last ? message.length : start + this.random.nextInt(message.length - start + 1);
				write(last, 0, (i == 0) ? opcode : CONTINUATION, Arrays.copyOfRange(message, start, end));
				start = end;
				if (!last) {
					maybePing();
				}
			}
			this.deliveries.add(describeText(new String(message, StandardCharsets.UTF_8)));
		}

		private void maybePing() {
			if (this.random.nextBoolean()) {
				write(true, 0, PING, bytes(this.random.nextInt(10)));
				this.pings++;
			}
		}

		private String oddJson() {
			Random r = this.random;
			String id = switch (r.nextInt(12)) {
				case 0 -> "null";
				case 1 -> "true";
				case 2 -> "1.5";
				case 3 -> "\"" + r.nextInt(100) + "\"";
				case 4 -> "[1,2]";
				case 5 -> "{\"a\":1}";
				case 6 -> "1e400";
				case 7 -> "-0";
				case 8 -> "123456789012345678901234567890123456789";
				case 9 -> "\"\\u0000\\ud800\"";
				default -> String.valueOf(r.nextInt(5));
			};
			return switch (r.nextInt(16)) {
				case 0 -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + id + "}";
				case 1 -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"id\":" + id + ",\"error\":{\"code\":" + id + "}}";
				case 2 -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\"}";
				case 3 -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":" + id + "}";
				case 4 -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":" + id
						+ ",\"data\":" + id + "}}";
				case 5 -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"fuzz\",\"data\":"
						+ id + "}}";
				case 6 -> "{\"method\":\"heartbeat\",\"params\":{\"type\":" + id + "}}";
				case 7 -> "{\"a\":".repeat(deep(r)) + "1" + "}".repeat(this.lastDepth);
				case 8 -> "[".repeat(deep(r)) + "]".repeat(this.lastDepth);
				case 9 -> "{\"n\":" + "9".repeat(1 + r.nextInt(5000)) + "}";
				case 10 -> "{\"n\":1e" + (r.nextInt(2) == 0 ? "-" : "") + r.nextInt(100000) + "}";
				case 11 -> "{\"k\":1,\"k\":2,\"k\":{\"k\":3}}";
				case 12 -> "{\"id\":" + id + "}";
				case 13 -> "{\"jsonrpc\":\"2.0\",\"id\":" + id;
				case 14 -> "{\"unicode\":\"\u00e9\u4e2d\ud83d\ude00\"}";
				default -> "not json " + r.nextInt();
			};
		}

		private int lastDepth;

		private int deep(Random r) {
			// Mostly modest; sometimes far past any parser's nesting limit.
			this.lastDepth = (r.nextInt(10) == 0) ? 50_000 + r.nextInt(100_000) : 1 + r.nextInt(2_000);
			return this.lastDepth;
		}

		void terminal() {
			this.cases++;
			int kinds = this.deflate ? 19 : 16;
			switch (this.random.nextInt(kinds)) {
				case 0 -> expect(1002, "data frame with RSV2/RSV3", frame(true,
						1 + this.random.nextInt(2) + (this.deflate ? 0 : 4 * this.random.nextInt(2)), TEXT, utf8("x")));
				case 1 -> {
					int[] reserved = { 3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF };
					int opcode = reserved[this.random.nextInt(reserved.length)];
					expect(1002, "reserved opcode " + opcode, frame(true, 0, opcode, bytes(this.random.nextInt(20))));
				}
				case 2 -> expect(1002, "masked server frame",
						RawFrameServer.Connection.frame(true, 0, TEXT, utf8("masked"), true));
				case 3 -> {
					int[] control = { PING, PONG, CLOSE };
					int opcode = control[this.random.nextInt(3)];
					byte[] payload = bytes(126 + this.random.nextInt(200));
					if (opcode == CLOSE) {
						payload[0] = 0x03;
						payload[1] = (byte) 0xE8;
					}
					expect(1002, "control frame " + opcode + " over 125 bytes", frame(true, 0, opcode, payload));
				}
				case 4 -> expect(1002, "fragmented ping", frame(false, 0, PING, bytes(3)));
				case 5 -> expect(1002, "continuation without a start",
						frame(this.random.nextBoolean(), 0, CONTINUATION, utf8("orphan")));
				case 6 -> {
					this.writes.add(frame(false, 0, TEXT, utf8("start")));
					expect(1002, "new data frame inside a fragmented message",
							frame(true, 0, this.random.nextBoolean() ? TEXT : BINARY, utf8("again")));
				}
				case 7 -> expect(1002, "length 2^63 or more", header(0x81, 127,
						new byte[] { (byte) (0x80 | this.random.nextInt(128)), 0, 0, 0, 0, 0, 0, 1 }));
				case 8 -> expect(1002, "length not minimally encoded", header(0x81, 126, new byte[] { 0, 5 }));
				case 9 -> expect(1009, "length over max-frame-size", header(this.random.nextBoolean() ? 0x81 : 0x82,
						127, new byte[] { 0, 0, 0, (byte) (1 + this.random.nextInt(100)), 0, 0, 0, 0 }));
				case 10 -> {
					// Each fragment fits; the message does not.
					int half = MAX_FRAME_SIZE / 2 + 1;
					this.writes.add(frame(false, 0, BINARY, new byte[half]));
					expect(1009, "fragmented message over max-frame-size",
							frame(true, 0, CONTINUATION, new byte[half]));
				}
				case 11 -> {
					int code = List.copyOf(INVALID_CLOSE_CODES).get(this.random.nextInt(INVALID_CLOSE_CODES.size()));
					this.dropAllowed = true;
					expect(1002, "close code " + code, frame(true, 0, CLOSE, closePayload(code, utf8("bad"))));
				}
				case 12 -> {
					this.dropAllowed = true;
					expect(1002, "close payload of 1 byte", frame(true, 0, CLOSE, new byte[] { 3 }));
				}
				case 13 -> {
					this.dropAllowed = true;
					expect(1007, "close reason not UTF-8",
							frame(true, 0, CLOSE, closePayload(1000, new byte[] { 'a', (byte) 0xC3, (byte) 0x28 })));
				}
				case 14 -> {
					int code = VALID_CLOSE_CODES[this.random.nextInt(VALID_CLOSE_CODES.length)];
					expect(ANY_VALID, "server close " + code, frame(true, 0, CLOSE, closePayload(code, utf8("bye"))));
				}
				case 15 -> {
					byte[] whole = frame(true, 0, TEXT, utf8("truncated frame " + this.random.nextInt()));
					expect(NO_CLOSE_FRAME, "truncated frame",
							Arrays.copyOf(whole, 1 + this.random.nextInt(whole.length - 1)));
				}
				case 16 -> expect(1007, "corrupt deflate data",
						frame(true, RSV1, TEXT, new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) this.random.nextInt() }));
				case 17 -> expect(1002, "RSV1 on a " + (this.random.nextBoolean() ? "control frame" : "continuation"),
						this.random.nextBoolean() ? frame(true, RSV1, PING, bytes(2))
								: concat(frame(false, 0, TEXT, utf8("a")), frame(true, RSV1, CONTINUATION, utf8("b"))));
				default -> expect(1009, "compressed message inflating past max-frame-size",
						frame(true, RSV1, this.random.nextBoolean() ? TEXT : BINARY,
								RawFrameServer.deflateRepeated(new byte[64 * 1024], 17 + this.random.nextInt(20))));
			}
		}

		private void expect(int code, String what, byte[] bytes) {
			this.closeCode = code;
			this.terminal = what;
			this.writes.add(bytes);
		}

		private static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
			return RawFrameServer.Connection.frame(fin, rsv, opcode, payload, false);
		}

		private static byte[] header(int first, int length7, byte[] extended) {
			return concat(new byte[] { (byte) first, (byte) length7 }, extended);
		}

		private static byte[] closePayload(int code, byte[] reason) {
			return concat(new byte[] { (byte) (code >>> 8), (byte) code }, reason);
		}

		private static byte[] concat(byte[] a, byte[] b) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
			out.writeBytes(a);
			out.writeBytes(b);
			return out.toByteArray();
		}

		private byte[] bytes(int length) {
			byte[] bytes = new byte[length];
			this.random.nextBytes(bytes);
			return bytes;
		}

		private static byte[] utf8(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

	}

}
