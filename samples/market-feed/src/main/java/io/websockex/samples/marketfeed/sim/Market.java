package io.websockex.samples.marketfeed.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated market: a few perpetual instruments whose prices follow a random walk,
 * producing Deribit-shaped {@code ticker} and {@code trades} data. Not thread-safe: only
 * the simulator's thread calls it.
 */
final class Market {

	private final JsonMapper mapper;

	private final Random random;

	private final List<Instrument> instruments;

	private long tradeSeq = 1;

	Market(JsonMapper mapper, long seed) {
		this.mapper = mapper;
		this.random = new Random(seed);
		this.instruments = List.of(new Instrument("BTC-PERPETUAL", 64_000.0, 0.5),
				new Instrument("ETH-PERPETUAL", 3_400.0, 0.05));
	}

	List<String> instrumentNames() {
		return this.instruments.stream().map(Instrument::name).toList();
	}

	/**
	 * Move every price one step and return the ticker data of each instrument.
	 * @return channel name to ticker data
	 */
	List<Update> tick() {
		List<Update> updates = new ArrayList<>(this.instruments.size());
		long now = System.currentTimeMillis();
		for (Instrument instrument : this.instruments) {
			instrument.step(this.random);
			updates.add(new Update("ticker." + instrument.name + ".raw", ticker(instrument, now)));
		}
		return updates;
	}

	/**
	 * Trades of one random instrument at its current price.
	 * @return the trades channel and its data
	 */
	Update trades() {
		Instrument instrument = this.instruments.get(this.random.nextInt(this.instruments.size()));
		long now = System.currentTimeMillis();
		ArrayNode trades = this.mapper.createArrayNode();
		int count = 1 + this.random.nextInt(3);
		for (int i = 0; i < count; i++) {
			boolean buy = this.random.nextBoolean();
			double price = instrument
				.round(instrument.last + (buy ? 1 : -1) * instrument.tick * this.random.nextInt(3));
			long seq = this.tradeSeq++;
			trades.add(this.mapper.createObjectNode()
				.put("trade_seq", seq)
				.put("trade_id", String.valueOf(100_000_000 + seq))
				.put("timestamp", now)
				.put("tick_direction", buy ? 0 : 2)
				.put("price", price)
				.put("mark_price", instrument.round(instrument.last))
				.put("instrument_name", instrument.name)
				.put("index_price", instrument.round(instrument.last * 0.9998))
				.put("direction", buy ? "buy" : "sell")
				.put("amount", 10.0 * (1 + this.random.nextInt(50))));
		}
		return new Update("trades." + instrument.name + ".raw", trades);
	}

	private ObjectNode ticker(Instrument instrument, long now) {
		double last = instrument.round(instrument.last);
		double spread = instrument.tick * (1 + this.random.nextInt(3));
		ObjectNode stats = this.mapper.createObjectNode()
			.put("volume", instrument.volume)
			.put("price_change", Math.round((last / instrument.open - 1) * 10_000) / 100.0)
			.put("low", instrument.round(instrument.low))
			.put("high", instrument.round(instrument.high));
		ObjectNode ticker = this.mapper.createObjectNode()
			.put("timestamp", now)
			.put("state", "open")
			.put("instrument_name", instrument.name)
			.put("last_price", last)
			.put("mark_price", last)
			.put("index_price", instrument.round(last * 0.9998))
			.put("best_bid_price", instrument.round(last - spread / 2))
			.put("best_bid_amount", 10.0 * (1 + this.random.nextInt(500)))
			.put("best_ask_price", instrument.round(last + spread / 2))
			.put("best_ask_amount", 10.0 * (1 + this.random.nextInt(500)))
			.put("open_interest", 1_000_000.0 + this.random.nextInt(1000))
			.put("funding_8h", 0.0001)
			.put("current_funding", 0.0);
		ticker.set("stats", stats);
		return ticker;
	}

	/**
	 * One notification to send.
	 *
	 * @param channel the channel
	 * @param data its data
	 */
	record Update(String channel, JsonNode data) {
	}

	private static final class Instrument {

		private final String name;

		private final double tick;

		private final double open;

		private double last;

		private double low;

		private double high;

		private double volume;

		Instrument(String name, double price, double tick) {
			this.name = name;
			this.tick = tick;
			this.open = price;
			this.last = price;
			this.low = price;
			this.high = price;
		}

		String name() {
			return this.name;
		}

		void step(Random random) {
			// Geometric random walk, about 2 basis points per step.
			this.last *= Math.exp(random.nextGaussian() * 0.0002);
			this.low = Math.min(this.low, this.last);
			this.high = Math.max(this.high, this.last);
			this.volume += random.nextInt(20);
		}

		double round(double price) {
			// To the tick, then to cents, so that 0.05 steps print as 3400.05.
			return Math.round(Math.round(price / this.tick) * this.tick * 100) / 100.0;
		}

	}

}
