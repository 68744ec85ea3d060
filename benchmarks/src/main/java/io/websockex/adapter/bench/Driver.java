package io.websockex.adapter.bench;

import java.util.Locale;

/**
 * Runs one scenario with one driver in this JVM and prints its figures as
 * {@code RESULT <label> <driver> <metric> <value>} lines for {@link Report}.
 * <p>
 * Usage: {@code Driver <inbound|inbound-json|rpc|idle-mem|reconnect> <raw|websockex>
 * --url ws://127.0.0.1:<port>/ [--label name] [scenario options]}. The drivers:
 * <ul>
 * <li>{@code raw}: Reactor Netty's {@code HttpClient.newConnection().websocket(...)} with
 * {@code receive().asString()}, and by hand whatever the scenario needs (Jackson parse
 * and channel lookup, id correlation, a reconnect loop);</li>
 * <li>{@code websockex}: websockex through its public API only.</li>
 * </ul>
 */
public final class Driver {

	private Driver() {
	}

	/**
	 * Run a scenario and exit.
	 * @param argv the arguments
	 * @throws Exception when the run fails; the JVM exits non-zero
	 */
	public static void main(String[] argv) throws Exception {
		String usage = "Driver <inbound|inbound-json|rpc|idle-mem|reconnect> <raw|websockex> --url ws://127.0.0.1:<port>/";
		Args args = new Args(argv);
		String scenario = args.positional(0, usage).toLowerCase(Locale.ROOT);
		boolean raw = switch (args.positional(1, usage).toLowerCase(Locale.ROOT)) {
			case "raw" -> true;
			case "websockex" -> false;
			default -> throw new IllegalArgumentException("usage: " + usage);
		};
		Results results = new Results(args.string("label", scenario), raw ? "raw" : "websockex");
		String url = args.string("url", "");
		if (url.isEmpty()) {
			throw new IllegalArgumentException("usage: " + usage);
		}
		switch (scenario) {
			case "inbound" -> InboundBench.run(args, url, raw, false, results);
			case "inbound-json" -> InboundBench.run(args, url, raw, true, results);
			case "rpc" -> RpcBench.run(args, url, raw, results);
			case "idle-mem" -> IdleMemBench.run(args, url, raw, results);
			case "reconnect" -> ReconnectBench.run(args, url, raw, results);
			default -> throw new IllegalArgumentException("usage: " + usage);
		}
		// Event-loop threads are not daemons; the figures are printed, so stop here.
		System.exit(0);
	}

}
