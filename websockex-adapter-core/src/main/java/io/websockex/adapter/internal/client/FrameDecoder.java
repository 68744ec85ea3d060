package io.websockex.adapter.internal.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 6455 frames off the socket in place of Netty's frame decoder, which copies
 * every payload into a buffer of its own and wraps it in a frame object. The common frame
 * (a whole, uncompressed text or binary message) goes straight to the
 * {@link FrameHandler} as a view of the bytes read, with no allocation; everything else
 * (control frames, fragments, compressed frames) is copied into a frame object and goes
 * down the pipeline, through the inflater and the aggregator, as before.
 * <p>
 * Checks what Netty's decoder checks, and closes the same way on a violation (1002, or
 * 1009 for a frame over {@code max-frame-size}, told before its payload is read): the
 * violation goes to {@link FrameHandler#exceptionCaught}, which writes the close frame.
 * Runs on the channel's event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {

	private static final int CONTINUATION = 0x0;

	private static final int TEXT = 0x1;

	private static final int BINARY = 0x2;

	private static final int CLOSE = 0x8;

	private static final int PING = 0x9;

	private static final int PONG = 0xA;

	private static final int MAX_CONTROL_PAYLOAD = 125;

	private final FrameHandler frames;

	private final int maxFrameSize;

	// On the event loop only.
	private boolean inFragmentedMessage;

	// A close frame came, or a violation: what follows is read and dropped.
	private boolean done;

	FrameDecoder(FrameHandler frames, int maxFrameSize) {
		this.frames = frames;
		this.maxFrameSize = maxFrameSize;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.done) {
			in.skipBytes(in.readableBytes());
			return;
		}
		// One frame per call, and only once all of it is here: ByteToMessageDecoder hands
		// on what a call added before the next, so frames keep their order whichever way
		// they go.
		int start = in.readerIndex();
		int readable = in.readableBytes();
		if (readable < 2) {
			return;
		}
		int twoBytes = in.getUnsignedShort(start);
		int first = twoBytes >>> 8;
		int second = twoBytes & 0xFF;
		boolean fin = (first & 0x80) != 0;
		int rsv = (first & 0x70) >> 4;
		int opcode = first & 0x0F;
		String violation = headerViolation(fin, opcode, second);
		if (violation != null) {
			violation(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, violation);
			return;
		}
		int lengthField = second & 0x7F;
		int headerSize;
		long length;
		if (lengthField == 126) {
			if (readable < 4) {
				return;
			}
			headerSize = 4;
			length = in.getUnsignedShort(start + 2);
			if (length < 126) {
				violation(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR, "a frame length not in its shortest form");
				return;
			}
		}
		else if (lengthField == 127) {
			if (readable < 10) {
				return;
			}
			headerSize = 10;
			length = in.getLong(start + 2);
			if (length < 65536) {
				violation(ctx, in, WebSocketCloseStatus.PROTOCOL_ERROR,
						(length < 0) ? "a negative frame length" : "a frame length not in its shortest form");
				return;
			}
		}
		else {
			headerSize = 2;
			length = lengthField;
		}
		if (length > this.maxFrameSize) {
			// Before a byte of it is buffered.
			violation(ctx, in, WebSocketCloseStatus.MESSAGE_TOO_BIG,
					"a frame of " + length + " bytes, over max-frame-size (" + this.maxFrameSize + ")");
			return;
		}
		int size = (int) length;
		if (readable - headerSize < size) {
			return;
		}
		int payload = start + headerSize;
		if (opcode < CLOSE) {
			this.inFragmentedMessage = !fin;
		}
		if (fin && rsv == 0 && (opcode == TEXT || opcode == BINARY)) {
			// The router copies what it keeps before this returns: no view is needed.
			in.readerIndex(payload + size);
			this.frames.onData(opcode == TEXT, in, payload, size);
			return;
		}
		if (opcode == CLOSE) {
			this.done = true;
		}
		// A copy, not a view: a fragment waiting in the aggregator must not pin the whole
		// read buffer it came in.
		in.readerIndex(payload);
		out.add(frame(opcode, fin, rsv, ByteBufUtil.readBytes(ctx.alloc(), in, size)));
	}

	private @Nullable String headerViolation(boolean fin, int opcode, int second) {
		if ((second & 0x80) != 0) {
			return "a masked frame (a server must not mask)";
		}
		if (opcode >= CLOSE) {
			if (opcode != CLOSE && opcode != PING && opcode != PONG) {
				return "a control frame with the reserved opcode " + opcode;
			}
			if (!fin) {
				return "a fragmented control frame";
			}
			int length = second & 0x7F;
			if (length > MAX_CONTROL_PAYLOAD) {
				return "a control frame over 125 bytes";
			}
			if (opcode == CLOSE && length == 1) {
				return "a close frame with a 1-byte payload";
			}
			return null;
		}
		if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY) {
			return "a data frame with the reserved opcode " + opcode;
		}
		if (opcode == CONTINUATION && !this.inFragmentedMessage) {
			return "a continuation frame outside a fragmented message";
		}
		if (opcode != CONTINUATION && this.inFragmentedMessage) {
			return "a new message inside a fragmented one";
		}
		return null;
	}

	private static WebSocketFrame frame(int opcode, boolean fin, int rsv, ByteBuf payload) {
		return switch (opcode) {
			case TEXT -> new TextWebSocketFrame(fin, rsv, payload);
			case BINARY -> new BinaryWebSocketFrame(fin, rsv, payload);
			case CONTINUATION -> new ContinuationWebSocketFrame(fin, rsv, payload);
			case PING -> new PingWebSocketFrame(fin, rsv, payload);
			case PONG -> new PongWebSocketFrame(fin, rsv, payload);
			default -> new CloseWebSocketFrame(fin, rsv, payload);
		};
	}

	private void violation(ChannelHandlerContext ctx, ByteBuf in, WebSocketCloseStatus status, String reason) {
		this.done = true;
		in.skipBytes(in.readableBytes());
		ctx.fireExceptionCaught(new InboundViolationException(status, "the server sent " + reason));
	}

}
