package io.websockex.samples.marketfeed.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * A small exchange that speaks Deribit's WebSocket API v2, served by the application
 * itself so that the sample runs offline. Everything it does (protocol, market, timers,
 * controls) runs on one thread: it is an actor, and the sessions need no locks.
 */
public final class SimulatedExchange implements WebSocketHandler, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(SimulatedExchange.class);

	private final JsonMapper mapper;

	private final SimulatorProperties properties;

	private final Scheduler thread = Schedulers.newSingle("sim");

	private final Market market;

	private final Set<String> channels = new LinkedHashSet<>();

	private final Map<String, SimSession> sessions = new LinkedHashMap<>();

	private final Random random;

	private final Disposable feed;

	SimulatedExchange(JsonMapper mapper, SimulatorProperties properties) {
		this.mapper = mapper;
		this.properties = properties;
		this.market = new Market(mapper, properties.seed());
		this.random = new Random(properties.seed() + 1);
		for (String instrument : this.market.instrumentNames()) {
			this.channels.add("ticker." + instrument + ".raw");
			this.channels.add("trades." + instrument + ".raw");
		}
		this.feed = Flux.interval(properties.tickInterval(), this.thread).subscribe((tick) -> publishMarket());
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		SimSession sim = new SimSession(session, this.mapper, this.thread, this.properties, this.channels);
		this.thread.schedule(() -> this.sessions.put(sim.id(), sim));
		Mono<Void> input = session.receive()
			.map(WebSocketMessage::getPayloadAsText)
			.publishOn(this.thread)
			.doOnNext(sim::onText)
			.then()
			.doFinally((signal) -> this.thread.schedule(() -> {
				sim.ended();
				this.sessions.remove(sim.id());
			}));
		Mono<Void> output = session.send(sim.outbound().map(session::textMessage));
		return Mono.when(input, output);
	}

	private void publishMarket() {
		for (Market.Update update : this.market.tick()) {
			publish(update);
		}
		double tradesPerTick = this.properties.tradesPerSecond() * this.properties.tickInterval().toMillis() / 1000.0;
		if (this.random.nextDouble() < tradesPerTick) {
			publish(this.market.trades());
		}
	}

	private void publish(Market.Update update) {
		if (this.sessions.isEmpty()) {
			return;
		}
		ObjectNode notification = this.mapper.createObjectNode().put("jsonrpc", "2.0").put("method", "subscription");
		notification.putObject("params").put("channel", update.channel()).set("data", update.data());
		// Encoded once, sent to every subscriber.
		String text = notification.toString();
		for (SimSession session : this.sessions.values()) {
			session.publish(update.channel(), text);
		}
	}

	/**
	 * Close every open connection (close frame 1012, service restart).
	 * @return how many were closed
	 */
	public Mono<Integer> drop() {
		return onThread(() -> {
			List<SimSession> open = List.copyOf(this.sessions.values());
			open.forEach(SimSession::drop);
			logger.info("sim: dropped {} connection(s)", open.size());
			return open.size();
		});
	}

	/**
	 * Stall every open connection: for {@code duration} nothing is answered or sent, and
	 * the connections stay open. Connections opened meanwhile are served normally, as
	 * when a route or a server process hangs while the exchange itself is fine.
	 * @param duration how long
	 * @return how many were stalled
	 */
	public Mono<Integer> stall(Duration duration) {
		return onThread(() -> {
			this.sessions.values().forEach((session) -> session.stall(duration));
			logger.info("sim: stalled {} connection(s) for {}s", this.sessions.size(), duration.toSeconds());
			return this.sessions.size();
		});
	}

	/**
	 * The open connections.
	 * @return the status
	 */
	public Mono<SimulatorStatus> status() {
		return onThread(() -> new SimulatorStatus(this.sessions.values().stream().map(SimSession::status).toList()));
	}

	private <T> Mono<T> onThread(java.util.concurrent.Callable<T> action) {
		return Mono.fromCallable(action).subscribeOn(this.thread);
	}

	@Override
	public void destroy() {
		this.feed.dispose();
		this.thread.dispose();
	}

}
