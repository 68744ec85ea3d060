package io.websockex.adapter.internal.client;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Reads the server's answer to the upgrade request, up to the empty line that ends its
 * headers, and hands it to {@link UpgradeHandshake} to check. Bytes that follow in the
 * same read (frames a server sends right after its answer) are passed on to the frame
 * decoder the {@link Upgraded} callback installs; then this handler leaves the pipeline.
 * The answer is bounded before it is kept: {@code max-handshake-header-size} plus the
 * status line. Runs on the channel's event loop only.
 */
final class UpgradeHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "websockex.upgrade";

	private static final int NOT_FOUND = -1;

	private final UpgradeHandshake handshake;

	private final Upgraded upgraded;

	// The answer so far, when it spans reads (most arrive in one).
	private @Nullable ByteBuf head;

	private boolean done;

	UpgradeHandler(UpgradeHandshake handshake, Upgraded upgraded) {
		this.handshake = handshake;
		this.upgraded = upgraded;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.done || !(msg instanceof ByteBuf bytes)) {
			// A read after a failure, while closing: nobody's.
			ReferenceCountUtil.release(msg);
			return;
		}
		ByteBuf kept = this.head;
		if (kept == null) {
			int end = endOfHead(bytes, bytes.readerIndex());
			if (end != NOT_FOUND) {
				finish(ctx, bytes, end, bytes);
			}
			else if (bytes.readableBytes() >= this.handshake.maxResponseHeadSize()) {
				bytes.release();
				fail(ctx, this.handshake.tooLong());
			}
			else {
				// The answer spans reads: keep it, within the bound.
				this.head = ctx.alloc()
					.heapBuffer(bytes.readableBytes(), this.handshake.maxResponseHeadSize())
					.writeBytes(bytes);
				bytes.release();
			}
			return;
		}
		int searchFrom = Math.max(kept.readerIndex(), kept.writerIndex() - 3);
		int taken = Math.min(bytes.readableBytes(), kept.maxWritableBytes());
		kept.writeBytes(bytes, taken);
		int end = endOfHead(kept, searchFrom);
		if (end != NOT_FOUND) {
			// The end lies in what this read added: what follows it in the kept copy is
			// the start of this read's rest, so step back over it.
			bytes.readerIndex(bytes.readerIndex() - (kept.writerIndex() - end));
			finish(ctx, kept, end, bytes);
		}
		else if (kept.maxWritableBytes() == 0) {
			bytes.release();
			fail(ctx, this.handshake.tooLong());
		}
		else {
			bytes.release();
		}
	}

	// `end` is the index in `answer` just past the empty line; `rest` holds what follows
	// (frames), from its reader index, and may be `answer` itself. The head handed on
	// ends with its empty line.
	private void finish(ChannelHandlerContext ctx, ByteBuf answer, int end, ByteBuf rest) {
		this.done = true;
		int headLength = end - answer.readerIndex();
		if (!this.handshake.withinBounds(answer, answer.readerIndex(), headLength)) {
			release(answer, rest);
			fail(ctx, this.handshake.tooLong());
			return;
		}
		String text = answer.toString(answer.readerIndex(), headLength, StandardCharsets.ISO_8859_1);
		if (rest == answer) {
			answer.readerIndex(end);
		}
		else {
			this.head = null;
			answer.release();
		}
		try {
			this.upgraded.upgraded(this.handshake.accept(text));
		}
		catch (RuntimeException ex) {
			// A refused answer, or a session that could not be set up.
			rest.release();
			fail(ctx, ex);
			return;
		}
		// Through this context, so the bytes reach the decoder just installed behind it.
		if (rest.isReadable()) {
			ctx.fireChannelRead(rest);
		}
		else {
			rest.release();
		}
		ctx.pipeline().remove(this);
	}

	private void release(ByteBuf answer, ByteBuf rest) {
		if (rest != answer) {
			rest.release();
			this.head = null;
		}
		answer.release();
	}

	// The index just past the empty line that ends the head (CRLF CRLF, or bare LFs as
	// some servers send), or NOT_FOUND.
	private static int endOfHead(ByteBuf buffer, int from) {
		int to = buffer.writerIndex();
		for (int i = buffer.indexOf(from, to, (byte) '\n'); i >= 0
				&& i + 1 < to; i = buffer.indexOf(i + 1, to, (byte) '\n')) {
			byte next = buffer.getByte(i + 1);
			if (next == '\n') {
				return i + 2;
			}
			if (next == '\r' && i + 2 < to && buffer.getByte(i + 2) == '\n') {
				return i + 3;
			}
		}
		return NOT_FOUND;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		fail(ctx, cause);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		ByteBuf kept = this.head;
		if (kept != null) {
			this.head = null;
			kept.release();
		}
	}

	private void fail(ChannelHandlerContext ctx, Throwable error) {
		this.done = true;
		this.upgraded.failed(error);
		ctx.close();
	}

	/** Hears the outcome of the upgrade, on the event loop, once. */
	interface Upgraded {

		/**
		 * The server accepted: install the frame handlers behind the upgrade handler.
		 * @param compression what the server agreed to
		 */
		void upgraded(MessageInflater.Mode compression);

		/**
		 * The upgrade failed; the channel is closed right after.
		 * @param error why
		 */
		void failed(Throwable error);

	}

}
