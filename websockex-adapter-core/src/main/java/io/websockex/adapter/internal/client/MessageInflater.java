package io.websockex.adapter.internal.client;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import org.jspecify.annotations.Nullable;

/**
 * Inflates compressed messages (RFC 7692 permessage-deflate, or the older deflate-frame)
 * while counting: inflation stops as soon as a frame, or the whole fragmented message it
 * belongs to, would exceed {@code max-frame-size} of decompressed bytes, before the bytes
 * past the bound are allocated. Netty's own decoder checks only the compressed size, so a
 * few hundred kilobytes of repeated letters would inflate to whatever the server wants.
 * <p>
 * Takes the place of Netty's extension decoder after the upgrade; it also rejects
 * reserved bits that no negotiated extension defines, which Netty lets through as soon as
 * compression is offered. Runs on the channel's event loop only.
 */
final class MessageInflater extends ChannelInboundHandlerAdapter {

	static final String NAME = "websockex.inflater";

	// RFC 7692 7.2.2: the empty stored block each compressed message's end lost.
	private static final byte[] TAIL = { 0x00, 0x00, (byte) 0xff, (byte) 0xff };

	private static final int CHUNK = 8192;

	private final int maxMessageSize;

	private final Mode mode;

	// Made at the first compressed message: most connections that offer compression
	// still never receive one.
	private @Nullable Inflater inflater;

	private byte @Nullable [] chunk;

	// A fragmented compressed message is in progress: its continuations are inflated.
	private boolean inCompressedMessage;

	private long messageSize;

	private boolean failed;

	private MessageInflater(int maxMessageSize, Mode mode) {
		this.maxMessageSize = maxMessageSize;
		this.mode = mode;
	}

	/**
	 * Put the inflater in front of {@code before}, in place of Netty's extension decoder
	 * if the server accepted compression. Call on the event loop, right after the upgrade
	 * and before any frame is read.
	 * @param pipeline the connection's pipeline
	 * @param before the handler it goes in front of
	 * @param maxMessageSize the bound of a decompressed frame and message
	 */
	static void install(ChannelPipeline pipeline, String before, int maxMessageSize) {
		Mode mode = Mode.NONE;
		for (var entry : pipeline.toMap().entrySet()) {
			ChannelHandler handler = entry.getValue();
			if (handler instanceof WebSocketExtensionDecoder) {
				// Netty's classes are not public: their names say which extension won.
				String type = handler.getClass().getSimpleName();
				if (type.contains("PerMessageDeflate")) {
					mode = Mode.PER_MESSAGE;
				}
				else if (type.contains("PerFrameDeflate")) {
					mode = Mode.PER_FRAME;
				}
				pipeline.remove(handler);
			}
		}
		install(pipeline, before, maxMessageSize, mode);
	}

	/**
	 * Put the inflater in front of {@code before}, for a handshake that was read without
	 * Netty's extension handlers ({@link UpgradeHandshake}).
	 * @param pipeline the connection's pipeline
	 * @param before the handler it goes in front of
	 * @param maxMessageSize the bound of a decompressed frame and message
	 * @param mode the compression the server agreed to
	 */
	static void install(ChannelPipeline pipeline, String before, int maxMessageSize, Mode mode) {
		pipeline.addBefore(before, NAME, new MessageInflater(maxMessageSize, mode));
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (!(msg instanceof WebSocketFrame frame)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.failed) {
			// Closing already: what is still in the read buffer is nobody's.
			frame.release();
			return;
		}
		WebSocketFrame out;
		try {
			out = inflate(frame);
		}
		catch (InboundViolationException ex) {
			this.failed = true;
			release();
			ctx.fireExceptionCaught(ex);
			return;
		}
		finally {
			frame.release();
		}
		ctx.fireChannelRead(out);
	}

	private WebSocketFrame inflate(WebSocketFrame frame) {
		int rsv = frame.rsv();
		boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
		boolean continuation = frame instanceof ContinuationWebSocketFrame;
		boolean rsv1 = (rsv & WebSocketExtension.RSV1) != 0;
		if ((rsv & (WebSocketExtension.RSV2 | WebSocketExtension.RSV3)) != 0 || (rsv1 && this.mode == Mode.NONE)
				|| (rsv1 && !data && !(continuation && this.mode == Mode.PER_FRAME))) {
			throw new InboundViolationException(WebSocketCloseStatus.PROTOCOL_ERROR, "reserved bits " + rsv
					+ " set on a " + frame.getClass().getSimpleName() + " that no negotiated extension defines");
		}
		if (data) {
			this.messageSize = 0;
			this.inCompressedMessage = rsv1 && this.mode == Mode.PER_MESSAGE && !frame.isFinalFragment();
			if (!rsv1) {
				return count(frame.retain());
			}
			return rebuild(frame, decompress(frame.content(), frame.isFinalFragment() || this.mode == Mode.PER_FRAME));
		}
		if (continuation) {
			boolean compressed = this.inCompressedMessage || rsv1;
			if (frame.isFinalFragment()) {
				this.inCompressedMessage = false;
			}
			if (!compressed) {
				return count(frame.retain());
			}
			return rebuild(frame, decompress(frame.content(), frame.isFinalFragment() || this.mode == Mode.PER_FRAME));
		}
		return frame.retain();
	}

	// Uncompressed fragments count toward the message too: a message may not mix, but a
	// server may, and the aggregator behind us bounds them anyway.
	private WebSocketFrame count(WebSocketFrame frame) {
		this.messageSize += frame.content().readableBytes();
		return frame;
	}

	private static WebSocketFrame rebuild(WebSocketFrame frame, ByteBuf content) {
		boolean fin = frame.isFinalFragment();
		if (frame instanceof TextWebSocketFrame) {
			return new TextWebSocketFrame(fin, 0, content);
		}
		if (frame instanceof BinaryWebSocketFrame) {
			return new BinaryWebSocketFrame(fin, 0, content);
		}
		return new ContinuationWebSocketFrame(fin, 0, content);
	}

	private ByteBuf decompress(ByteBuf compressed, boolean endOfBlock) {
		Inflater inflater = this.inflater;
		if (inflater == null) {
			inflater = new Inflater(true);
			this.inflater = inflater;
			this.chunk = new byte[CHUNK];
		}
		byte[] chunk = this.chunk;
		long room = Math.max(0, this.maxMessageSize - this.messageSize);
		// Capped at what the bound leaves: the buffer can never grow past it.
		ByteBuf out = compressed.alloc()
			.heapBuffer((int) Math.min(room, Math.max(256, compressed.readableBytes() * 2L)), (int) room);
		try {
			inflateAll(inflater, chunk, input(compressed), out);
			if (inflater.finished()) {
				// The server ended the deflate stream (BFINAL): nothing may follow in
				// this frame, and the next data starts a new stream.
				if (inflater.getRemaining() > 0) {
					throw new InboundViolationException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
							"compressed data goes on after the end of its deflate stream");
				}
				inflater.reset();
			}
			else if (endOfBlock) {
				inflateAll(inflater, chunk, ByteBuffer.wrap(TAIL), out);
			}
			return out;
		}
		catch (RuntimeException ex) {
			out.release();
			throw ex;
		}
	}

	private void inflateAll(Inflater inflater, byte[] chunk, ByteBuffer input, ByteBuf out) {
		inflater.setInput(input);
		try {
			while (true) {
				int n = inflater.inflate(chunk);
				if (n > 0) {
					if (this.messageSize + n > this.maxMessageSize) {
						throw new InboundViolationException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
								"a compressed message inflates past max-frame-size (" + this.maxMessageSize
										+ " bytes), so inflation stopped there (raise max-frame-size if such messages "
										+ "are expected)");
					}
					this.messageSize += n;
					out.writeBytes(chunk, 0, n);
				}
				else if (inflater.needsDictionary()) {
					throw new InboundViolationException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
							"compressed data asks for a preset dictionary, which permessage-deflate never uses");
				}
				else if (inflater.needsInput() || inflater.finished()) {
					return;
				}
			}
		}
		catch (DataFormatException ex) {
			throw new InboundViolationException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
					"compressed data is corrupt (" + ex.getMessage() + ")");
		}
	}

	private static ByteBuffer input(ByteBuf content) {
		if (content.nioBufferCount() == 1) {
			return content.nioBuffer();
		}
		byte[] copy = new byte[content.readableBytes()];
		content.getBytes(content.readerIndex(), copy);
		return ByteBuffer.wrap(copy);
	}

	private void release() {
		Inflater inflater = this.inflater;
		if (inflater != null) {
			this.inflater = null;
			this.chunk = null;
			inflater.end();
		}
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		release();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		// The inflater's native memory goes with the connection, not with the GC.
		release();
		ctx.fireChannelInactive();
	}

	/** Which compression the server agreed to. */
	enum Mode {

		/** The server accepted no compression: no reserved bit is allowed. */
		NONE,

		/** RFC 7692: RSV1 on a message's first frame; one deflate stream per message. */
		PER_MESSAGE,

		/** deflate-frame: RSV1 on each compressed frame, continuations included. */
		PER_FRAME

	}

}
