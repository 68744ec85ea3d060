package io.websockex.adapter.test.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.websockex.adapter.test.TestConnection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One server-side WebSocket connection. Frames are written straight to the Netty channel
 * (Netty hands a write from another thread to the channel's event loop, so writes keep
 * their order); nothing is written while the server is silent (stalled) or this
 * connection is frozen.
 */
public final class ServerSession implements TestConnection {

	private final int id;

	private final Channel channel;

	private final BooleanSupplier serverSilent;

	private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

	// Replayed to late subscribers, so a replay waiting for a subscription cannot miss
	// it.
	private final Sinks.Many<String> subscribed = Sinks.many().replay().all();

	private final List<Runnable> onEnd = new CopyOnWriteArrayList<>();

	private final AtomicInteger framesReceived = new AtomicInteger();

	// Frames written between the upgrade request and the end of the handshake wait here:
	// the session is visible to the test from the moment the client's upgrade is
	// accepted.
	private @Nullable List<Runnable> pending = new ArrayList<>();

	private volatile boolean frozen;

	private volatile @Nullable WebsocketOutbound outbound;

	private boolean ended;

	private volatile int closeAt = Integer.MAX_VALUE;

	private volatile int closeCode = -1;

	/**
	 * @param id the connection's number
	 * @param channel its Netty channel
	 * @param serverSilent whether the whole server is silent right now (a stall)
	 */
	public ServerSession(int id, Channel channel, BooleanSupplier serverSilent) {
		this.id = id;
		this.channel = channel;
		this.serverSilent = serverSilent;
	}

	@Override
	public int id() {
		return this.id;
	}

	@Override
	public void send(String text) {
		write(new TextWebSocketFrame(text));
	}

	@Override
	public void sendBinary(byte[] bytes) {
		write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
	}

	@Override
	public void sendPing(byte[] payload) {
		write(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
	}

	@Override
	public void sendFrame(WebSocketFrame frame) {
		write(frame);
	}

	/**
	 * Write a frame unless the server is silent or this connection frozen.
	 * @param frame the frame; released when it is not written
	 */
	public void write(WebSocketFrame frame) {
		if (isSilent() || !this.channel.isActive()) {
			frame.release();
			return;
		}
		whenReady(() -> this.channel.writeAndFlush(frame, this.channel.voidPromise()));
	}

	@Override
	public void close(int code, String reason) {
		// Through Reactor Netty's outbound, which sends the close frame and then closes
		// the
		// connection as the close handshake requires.
		whenReady(() -> {
			WebsocketOutbound out = this.outbound;
			if (this.channel.isActive() && out != null) {
				out.sendClose(code, reason).subscribe(null, (error) -> this.channel.close());
			}
		});
	}

	private void whenReady(Runnable write) {
		synchronized (this) {
			if (this.pending != null) {
				this.pending.add(write);
				return;
			}
		}
		write.run();
	}

	/**
	 * The handshake is done: write what waited for it, then write straight through.
	 * @param outbound the connection's Reactor Netty outbound, for the close handshake
	 */
	public void ready(WebsocketOutbound outbound) {
		this.outbound = outbound;
		List<Runnable> waiting;
		synchronized (this) {
			waiting = this.pending;
			this.pending = null;
		}
		if (waiting != null) {
			waiting.forEach(Runnable::run);
		}
	}

	@Override
	public void drop() {
		this.channel.close();
	}

	@Override
	public Set<String> subscriptions() {
		return Set.copyOf(this.subscriptions);
	}

	@Override
	public int closeCode() {
		return this.closeCode;
	}

	@Override
	public boolean isOpen() {
		return this.channel.isActive();
	}

	/**
	 * @return whether nothing may be read or written now
	 */
	public boolean isSilent() {
		return this.frozen || this.serverSilent.getAsBoolean();
	}

	/**
	 * Stop reading (no more reads from the socket: TCP back-pressure reaches the client)
	 * and writing, keeping the socket open: a half-open connection.
	 */
	public void freeze() {
		this.frozen = true;
		this.channel.config().setAutoRead(false);
	}

	/** Read and write again. */
	public void thaw() {
		if (this.frozen) {
			this.frozen = false;
			this.channel.config().setAutoRead(true);
			this.channel.read();
		}
	}

	/**
	 * Count a received frame.
	 * @return whether this frame is the last one before {@link #closeAfter(int)} closes
	 * the connection
	 */
	public boolean countFrame() {
		return this.framesReceived.incrementAndGet() == this.closeAt;
	}

	/**
	 * @param frames close the connection when this many more frames have arrived
	 */
	public void closeAfter(int frames) {
		this.closeAt = this.framesReceived.get() + frames;
	}

	/**
	 * @param channel a channel the server acknowledged a subscription to
	 * @return whether it is new
	 */
	public boolean subscribed(String channel) {
		return this.subscriptions.add(channel);
	}

	/**
	 * Tell whoever waits for a subscription (a replay) that it happened: called after the
	 * acknowledgement is written, so that nothing pushed for the channel overtakes it.
	 * @param channel a channel just subscribed
	 */
	public void announceSubscribed(String channel) {
		this.subscribed.tryEmitNext(channel);
	}

	/**
	 * @param channel a channel the server acknowledged an unsubscription from
	 */
	public void unsubscribed(String channel) {
		this.subscriptions.remove(channel);
	}

	/**
	 * @param channel a channel
	 * @return whether the connection is subscribed to it
	 */
	public boolean isSubscribed(String channel) {
		return this.subscriptions.contains(channel);
	}

	/**
	 * @return every channel subscribed on this connection, past ones included
	 */
	public Flux<String> subscribedChannels() {
		return this.subscribed.asFlux();
	}

	/**
	 * @param code the status code of the client's close frame
	 */
	public void closeCode(int code) {
		this.closeCode = code;
	}

	/**
	 * @param action run once when the connection ends (timers of behaviours)
	 */
	public void onEnd(Runnable action) {
		synchronized (this.onEnd) {
			if (!this.ended) {
				this.onEnd.add(action);
				return;
			}
		}
		action.run();
	}

	/** The connection ended: stop what runs for it. */
	public void ended() {
		synchronized (this.onEnd) {
			this.ended = true;
		}
		this.subscribed.tryEmitComplete();
		this.onEnd.forEach(Runnable::run);
		this.onEnd.clear();
	}

	@Override
	public String toString() {
		return "connection #" + this.id;
	}

}
