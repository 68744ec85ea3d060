package io.websockex.adapter.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that can freeze: stop forwarding in both directions without
 * closing either socket, as a NAT or load balancer that silently forgets a connection
 * does, leaving it half-open. {@link #thaw()} resumes forwarding; closes seen while
 * frozen are passed on only after the thaw.
 *
 * <pre>{@code
 * try (FreezableProxy proxy = FreezableProxy.start(server.port())) {
 *     proxy.freeze();
 *     ...
 *     proxy.thaw();
 * }
 * }</pre>
 */
public final class FreezableProxy implements AutoCloseable {

	private static final CountDownLatch OPEN = new CountDownLatch(0);

	private final ServerSocket listener;

	private final int targetPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile CountDownLatch gate = OPEN;

	private volatile boolean closed;

	private FreezableProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.listener = new ServerSocket();
		this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::accept, "freezable-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy to a port of 127.0.0.1.
	 * @param targetPort where to forward
	 * @return the proxy
	 */
	public static FreezableProxy start(int targetPort) {
		try {
			return new FreezableProxy(targetPort);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start the proxy", ex);
		}
	}

	/**
	 * @param path the path, such as {@code /ws}
	 * @return the ws:// URL of the path through this proxy
	 */
	public String url(String path) {
		return "ws://127.0.0.1:" + this.listener.getLocalPort() + path;
	}

	/** Stop forwarding in both directions; every socket stays open. */
	public void freeze() {
		if (this.gate.getCount() == 0) {
			this.gate = new CountDownLatch(1);
		}
	}

	/** Forward again, including what arrived while frozen. */
	public void thaw() {
		this.gate.countDown();
	}

	/**
	 * @return connections accepted so far
	 */
	public int accepted() {
		return this.accepted.get();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				this.accepted.incrementAndGet();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream, "up");
				pump(upstream, client, "down");
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its socket close
			}
		}
	}

	private void pump(Socket from, Socket to, String direction) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			// No try-with-resources: closing a stream closes its socket, and a close seen
			// while frozen must wait for the thaw.
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) != -1) {
					awaitThaw();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			awaitThaw();
			closeQuietly(from);
			closeQuietly(to);
		}, "freezable-proxy-" + direction);
		thread.setDaemon(true);
		thread.start();
	}

	private void awaitThaw() {
		try {
			// Bounded so that a forgotten proxy cannot hold a thread forever.
			this.gate.await(5, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(java.io.Closeable socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		this.closed = true;
		thaw();
		closeQuietly(this.listener);
		this.sockets.forEach(FreezableProxy::closeQuietly);
	}

}
