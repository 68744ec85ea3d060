package io.websockex.adapter.bench;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Runs one scenario with one driver in this JVM and prints its figures as
 * {@code RESULT <label> <driver> <metric> <value>} lines for {@link Report}.
 * <p>
 * Usage: {@code Driver <inbound|inbound-app|inbound-json|rpc|idle-mem|reconnect>
 * <raw|websockex|okhttp|vertx|webflux|java-websocket> --url ws://127.0.0.1:<port>/
 * [--label name] [scenario options]}. The drivers:
 * <ul>
 * <li>{@code raw}: Reactor Netty's {@code HttpClient.newConnection().websocket(...)} with
 * {@code receive().asString()}, and by hand whatever the scenario needs (Jackson parse
 * and channel lookup, id correlation, a reconnect loop);</li>
 * <li>{@code websockex}: websockex through its public API only;</li>
 * <li>the peers {@code okhttp}, {@code vertx}, {@code webflux} and
 * {@code java-websocket}: each library's own WebSocket client, with the same hand-written
 * parts as raw (see {@link Peer}). They have no reconnect loop of their own, so they do
 * not run {@code reconnect}: the driver prints {@code SKIPPED} and exits with
 * {@value #UNSUPPORTED}.</li>
 * </ul>
 */
public final class Driver {

	/** The exit status of a driver asked for a scenario it does not run. */
	public static final int UNSUPPORTED = 3;

	private static final String USAGE = "Driver <inbound|inbound-app|inbound-json|rpc|idle-mem|reconnect> <websockex|"
			+ String.join("|", Peer.NAMES) + "> --url ws://127.0.0.1:<port>/";

	private Driver() {
	}

	/**
	 * Run a scenario and exit.
	 * @param argv the arguments
	 * @throws Exception when the run fails; the JVM exits non-zero
	 */
	public static void main(String[] argv) throws Exception {
		Args args = new Args(argv);
		String scenario = args.positional(0, USAGE).toLowerCase(Locale.ROOT);
		String driver = args.positional(1, USAGE).toLowerCase(Locale.ROOT);
		if (!driver.equals("websockex") && !Peer.NAMES.contains(driver)) {
			throw new IllegalArgumentException("usage: " + USAGE);
		}
		String url = args.string("url", "");
		if (url.isEmpty()) {
			throw new IllegalArgumentException("usage: " + USAGE);
		}
		Results results = new Results(args.string("label", scenario), driver);
		if (scenario.equals("reconnect")) {
			if (!driver.equals("raw") && !driver.equals("websockex")) {
				System.out.println("SKIPPED " + scenario + " " + driver + ": no reconnect of its own to measure");
				System.exit(UNSUPPORTED);
			}
			ReconnectBench.run(args, url, driver.equals("raw"), results);
		}
		else {
			// inbound-app: a WebFlux application's JVM, Reactor Netty already running.
			boolean inApp = scenario.equals("inbound-app");
			@Nullable NettyApp app = inApp ? NettyApp.start() : null;
			// The cold-start clock starts here for every driver, before the library makes
			// its first object: a peer's client (OkHttpClient, HttpClient) is made below,
			// websockex's in the scenario, and either is part of a cold start.
			long madeAt = System.nanoTime();
			@Nullable Peer peer = driver.equals("websockex") ? null : Peer.named(driver);
			try {
				run(inApp ? "inbound" : scenario, args, url, peer, madeAt, results);
			}
			finally {
				if (peer != null) {
					peer.close();
				}
				if (app != null) {
					app.close();
				}
			}
		}
		// Event-loop threads are not daemons; the figures are printed, so stop here.
		System.exit(0);
	}

	private static void run(String scenario, Args args, String url, @Nullable Peer peer, long madeAt, Results results)
			throws Exception {
		switch (scenario) {
			case "inbound" -> InboundBench.run(args, url, peer, madeAt, false, results);
			case "inbound-json" -> InboundBench.run(args, url, peer, madeAt, true, results);
			case "rpc" -> RpcBench.run(args, url, peer, results);
			case "idle-mem" -> IdleMemBench.run(args, url, peer, results);
			default -> throw new IllegalArgumentException("usage: " + USAGE);
		}
	}

}
