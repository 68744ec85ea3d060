package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.internal.heartbeat.HeartbeatLink;
import io.websockex.adapter.internal.recording.FrameRecorder;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import tools.jackson.databind.JsonNode;

/**
 * One open WebSocket session of a client: its channel, its outbound bound, what the
 * after-connect setup achieved, and the one {@link EndCause} of its end. A client has at
 * most one at a time; the {@link ConnectionLoop} decides what follows its end.
 * <p>
 * It is also the heartbeat's {@link HeartbeatLink} to it (writes that skip the rate
 * limiter), and takes what every session of the client shares (name, bounds, counters,
 * recorder) from the client's {@link SessionSetup} rather than a copy each: an idle
 * connection's heap counts.
 */
final class Session implements HeartbeatLink {

	private static final VarHandle UNWRITTEN;

	private static final VarHandle READY;

	private static final VarHandle END_CAUSE;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			UNWRITTEN = lookup.findVarHandle(Session.class, "unwritten", int.class);
			READY = lookup.findVarHandle(Session.class, "ready", Sinks.Empty.class);
			END_CAUSE = lookup.findVarHandle(Session.class, "endCause", EndCause.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final long generation;

	final Connection connection;

	private final CloseSender closer;

	private final SessionSetup setup;

	// Frames handed to the channel and not yet written; through UNWRITTEN rather than an
	// AtomicInteger, one object less per connection.
	@SuppressWarnings("unused")
	private volatile int unwritten;

	// Touched only on the channel's event loop (FrameHandler and writes made there).
	boolean inRead;

	boolean flushPending;

	// Written by the after-connect setup (SessionSetup) only.
	volatile boolean authenticated;

	/** Set when the auth call failed, whatever the error. */
	volatile boolean authFailed;

	// Written by the setup's auth and token refresh only (one at a time per session).
	/** Until when the server holds this session authenticated, if its answer said. */
	volatile @Nullable Instant authenticatedUntil;

	/** The pending token refresh, disposed when the session ends. */
	volatile @Nullable Disposable refreshTimer;

	// Several writers (the frame handler on the event loop, the heartbeat on a timer, the
	// setup, the loop): CAS through END_CAUSE, the first one wins.
	private volatile @Nullable EndCause endCause;

	// Made only when a subscription change waits for the setup (READY): most sessions
	// never have one.
	private volatile Sinks.@Nullable Empty<Void> ready;

	private volatile boolean setUp;

	/** The channels the after-connect restore subscribed. */
	volatile Set<String> restored = Set.of();

	Session(long generation, Connection connection, CloseSender closer, SessionSetup setup) {
		this.generation = generation;
		this.connection = connection;
		this.closer = closer;
		this.setup = setup;
	}

	// Read through the connection rather than kept: one field less per connection.
	private Channel channel() {
		return this.connection.channel();
	}

	/**
	 * Completes when the after-connect setup (auth, heartbeat, restore) is over.
	 * @return the signal
	 */
	Mono<Void> ready() {
		if (this.setUp) {
			return Mono.empty();
		}
		Sinks.Empty<Void> sink = this.ready;
		if (sink != null) {
			return sink.asMono();
		}
		Sinks.Empty<Void> created = Sinks.unsafe().empty();
		@SuppressWarnings("unchecked")
		Sinks.Empty<Void> witness = (Sinks.Empty<Void>) READY.compareAndExchange(this, null, created);
		if (witness != null) {
			return witness.asMono();
		}
		if (this.setUp) {
			// setUpOver() may have run before the sink was set; completing twice is
			// harmless (the second finds it terminated).
			created.tryEmitEmpty();
		}
		return created.asMono();
	}

	/** The after-connect setup is over, whatever its outcome. */
	void setUpOver() {
		this.setUp = true;
		Sinks.Empty<Void> sink = this.ready;
		if (sink != null) {
			sink.tryEmitEmpty();
		}
	}

	boolean isOpen() {
		return channel().isActive();
	}

	/**
	 * A text frame whose payload is encoded straight into a pooled buffer (Netty's
	 * {@code TextWebSocketFrame(String)} makes an unpooled copy first).
	 * @param text the text
	 * @return the frame
	 */
	static TextWebSocketFrame textFrame(String text) {
		return new TextWebSocketFrame(ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, text));
	}

	/**
	 * Write a frame; nothing is allocated until subscription.
	 * @param frame creates the frame
	 * @param what the operation, for errors
	 * @return completes when the frame is written
	 */
	Mono<Void> write(Supplier<WebSocketFrame> frame, String what) {
		return Mono.create((sink) -> write(frame, new WriteListener() {

			@Override
			public void written() {
				sink.success();
			}

			@Override
			public void failed(Throwable error) {
				sink.error(error);
			}

			@Override
			public String what() {
				return what;
			}

		}));
	}

	/**
	 * Write a frame now, unless the channel is closed or the outbound buffer is full.
	 * @param frame creates the frame, only if it will be written
	 * @param listener hears the outcome, once
	 */
	void write(Supplier<WebSocketFrame> frame, WriteListener listener) {
		if (!channel().isActive()) {
			listener.failed(new ConnectionLostException(this.setup.client(), listener.what(), endError()));
			return;
		}
		int outboundBuffer = this.setup.outboundBuffer();
		if ((int) UNWRITTEN.getAndAdd(this, 1) + 1 > outboundBuffer) {
			UNWRITTEN.getAndAdd(this, -1);
			listener.failed(new BufferOverflowException("websockex client '" + this.setup.client() + "': "
					+ outboundBuffer + " frames already wait to be written, so " + listener.what()
					+ " was refused; the server reads slower than you send: slow down, or raise outbound-buffer"));
			return;
		}
		WebSocketFrame created;
		try {
			created = frame.get();
		}
		catch (RuntimeException ex) {
			UNWRITTEN.getAndAdd(this, -1);
			listener.failed(ex);
			return;
		}
		int size = created.content().readableBytes();
		FrameRecorder recorder = this.setup.recorder;
		if (recorder != null) {
			record(recorder, created);
		}
		// Frames written inside this session's socket read (a request sent from a
		// response's callback) share one flush when the read completes, instead of a
		// write syscall each; from anywhere else they go out at once.
		ChannelFuture written;
		if (channel().eventLoop().inEventLoop() && this.inRead) {
			written = channel().write(created);
			this.flushPending = true;
		}
		else {
			written = channel().writeAndFlush(created);
		}
		written.addListener((future) -> {
			UNWRITTEN.getAndAdd(this, -1);
			if (future.isSuccess()) {
				this.setup.counters.sent(created, size);
				listener.written();
			}
			else {
				listener.failed(new ConnectionLostException(this.setup.client(), listener.what(), future.cause()));
			}
		});
	}

	private static void record(FrameRecorder recorder, WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame text) {
			recorder.outbound(text.text());
		}
		else if (frame instanceof BinaryWebSocketFrame binary) {
			recorder.outbound(ByteBufUtil.getBytes(binary.content()));
		}
	}

	/**
	 * Record a data frame received, when the client records.
	 * @param buffer the buffer that holds the frame's (or whole message's) payload
	 * @param index where the payload starts
	 * @param length its length
	 * @param text whether it is text
	 */
	void recordInbound(ByteBuf buffer, int index, int length, boolean text) {
		FrameRecorder recorder = this.setup.recorder;
		if (recorder != null) {
			if (text) {
				recorder.inbound(buffer.toString(index, length, StandardCharsets.UTF_8));
			}
			else {
				recorder.inbound(ByteBufUtil.getBytes(buffer, index, length));
			}
		}
	}

	/**
	 * Close the channel at once, without a handshake.
	 */
	void abort() {
		this.connection.dispose();
	}

	/**
	 * Record why this session ends, unless a cause is already recorded: the first one
	 * wins.
	 * @param cause the cause
	 * @return whether this cause is the one
	 */
	boolean end(EndCause cause) {
		return END_CAUSE.compareAndSet(this, null, cause);
	}

	/**
	 * Why this session ended, once someone said so.
	 * @return the cause, or {@code null} while none is recorded
	 */
	@Nullable EndCause endCause() {
		return this.endCause;
	}

	/**
	 * The error that ended the session, to chain under errors about it.
	 * @return the error, or {@code null}
	 */
	@Nullable Throwable endError() {
		return (this.endCause instanceof EndCause.TransportError transport) ? transport.error() : null;
	}

	/**
	 * Start the close handshake; if the close frame cannot be written, drop the
	 * connection.
	 * @param code the status code
	 * @param reason the reason text
	 */
	void close(int code, String reason) {
		this.closer.sendClose(code, reason).subscribe(null, (error) -> abort());
	}

	/**
	 * The socket read is over: flush what was written during it. On the event loop only.
	 */
	void readComplete() {
		this.inRead = false;
		if (this.flushPending) {
			this.flushPending = false;
			channel().flush();
		}
	}

	// ---- what the heartbeat may do with this session (HeartbeatLink) ----

	@Override
	public Mono<Void> ping() {
		return write(PingWebSocketFrame::new, "a heartbeat ping");
	}

	@Override
	public Mono<Void> sendText(String text) {
		return write(() -> textFrame(text), "a heartbeat");
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		return this.setup.requests.call(() -> this, method, params, false);
	}

	@Override
	public void declareDead(String reason) {
		// The monitor has already stopped this session's timer; stopping the monitor
		// here could stop the next session's timer when a late tick races a reconnect.
		end(new EndCause.HeartbeatDead(reason));
		abort();
	}

	/**
	 * Writes the close frame of the handshake: {@link CloseHandshake}, or Reactor Netty's
	 * {@code sendClose}.
	 */
	@FunctionalInterface
	interface CloseSender {

		Mono<Void> sendClose(int code, String reason);

	}

	/** Hears how one write ended. */
	interface WriteListener {

		/** The frame was written to the socket. */
		void written();

		/**
		 * The frame was refused or could not be written.
		 * @param error what happened, naming {@link #what()}
		 */
		void failed(Throwable error);

		/**
		 * The operation, for errors; called only when one is made.
		 * @return e.g. "request 'public/test'"
		 */
		String what();

	}

}
