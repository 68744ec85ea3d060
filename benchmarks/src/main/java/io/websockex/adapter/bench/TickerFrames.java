package io.websockex.adapter.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Deribit-style {@code ticker} notifications of about 200 bytes, encoded once as complete
 * server-to-client WebSocket text frames (unmasked, so the wire bytes never change). The
 * server writes retained duplicates of these buffers and so does no per-frame encoding.
 */
final class TickerFrames {

	/** The channel every notification is on. */
	static final String CHANNEL = "ticker.BTC-PERPETUAL.raw";

	/** Distinct notifications, so that the client does not see one frame repeated. */
	static final int DISTINCT = 64;

	private final ByteBuf[] frames = new ByteBuf[DISTINCT];

	private final ByteBuf batch;

	private final int batchFrames;

	/**
	 * Encode the frames.
	 * @param batchFrames how many frames one batch buffer holds
	 */
	TickerFrames(int batchFrames) {
		this.batchFrames = batchFrames;
		for (int i = 0; i < DISTINCT; i++) {
			byte[] wire = wire(json(i));
			this.frames[i] = Unpooled.unreleasableBuffer(Unpooled.directBuffer(wire.length).writeBytes(wire));
		}
		// Direct and never released: the socket writes them without a copy or a refcount.
		ByteBuf all = Unpooled.directBuffer();
		for (int i = 0; i < batchFrames; i++) {
			ByteBuf frame = this.frames[i % DISTINCT];
			all.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
		}
		this.batch = Unpooled.unreleasableBuffer(all);
	}

	/**
	 * The JSON text of notification {@code i}.
	 * @param i any index
	 * @return the text, about 200 bytes
	 */
	static String json(int i) {
		double price = 64000.5 + (i % DISTINCT) * 0.5;
		return String.format(Locale.ROOT,
				"{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"%s\",\"data\":{"
						+ "\"timestamp\":%d,\"best_bid_price\":%.1f,\"best_ask_price\":%.1f,\"mark_price\":%.2f}}}",
				CHANNEL, 1700000000000L + i, price, price + 0.5, price + 0.25);
	}

	/** A server frame: FIN + text opcode, 7-bit or 16-bit length, no mask. */
	private static byte[] wire(String json) {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		int header = (payload.length < 126) ? 2 : 4;
		byte[] frame = new byte[header + payload.length];
		frame[0] = (byte) 0x81;
		if (payload.length < 126) {
			frame[1] = (byte) payload.length;
		}
		else {
			frame[1] = 126;
			frame[2] = (byte) (payload.length >>> 8);
			frame[3] = (byte) payload.length;
		}
		System.arraycopy(payload, 0, frame, header, payload.length);
		return frame;
	}

	/**
	 * @return how many frames {@link #batch()} holds
	 */
	int batchFrames() {
		return this.batchFrames;
	}

	/**
	 * @return a new view of the batch of {@link #batchFrames()} frames
	 */
	ByteBuf batch() {
		return this.batch.duplicate();
	}

	/**
	 * @param i any index
	 * @return a new view of one frame
	 */
	ByteBuf frame(int i) {
		return this.frames[i % DISTINCT].duplicate();
	}

}
