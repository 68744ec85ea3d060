package io.websockex.adapter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code RESULT} lines of every driver run and prints a markdown table: per
 * scenario and metric, the median over the rounds of each driver with its ratio to raw,
 * which driver leads, websockex's rank among the drivers, and websockex's target against
 * raw where there is one.
 * <p>
 * Usage: {@code Report <results file>}.
 */
public final class Report {

	private Report() {
	}

	/**
	 * Print the table.
	 * @param argv the results file
	 * @throws IOException if it cannot be read
	 */
	public static void main(String[] argv) throws IOException {
		Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of(argv[0]))) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 5 && parts[0].equals("RESULT")) {
				String row = parts[1] + " " + parts[3];
				values.computeIfAbsent(row, (key) -> new LinkedHashMap<>())
					.computeIfAbsent(parts[2], (key) -> new ArrayList<>())
					.add(Double.parseDouble(parts[4]));
			}
		}
		List<String> drivers = drivers(values);
		StringBuilder header = new StringBuilder("| scenario | metric |");
		StringBuilder align = new StringBuilder("| --- | --- |");
		for (String driver : drivers) {
			header.append(' ').append(driver.equals("raw") ? "raw" : driver + " (/ raw)").append(" |");
			align.append(" ---: |");
		}
		System.out.println(header + " leads | websockex rank | target | met |");
		System.out.println(align + " --- | --- | --- | --- |");
		for (Map.Entry<String, Map<String, List<Double>>> row : values.entrySet()) {
			String[] key = row.getKey().split(" ");
			Map<String, Double> medians = new LinkedHashMap<>();
			for (String driver : drivers) {
				Double median = median(row.getValue().get(driver));
				if (median != null) {
					medians.put(driver, median);
				}
			}
			Double raw = medians.get("raw");
			Double websockex = medians.get("websockex");
			StringBuilder line = new StringBuilder("| " + key[0] + " | " + key[1] + " |");
			for (String driver : drivers) {
				line.append(' ').append(cell(medians.get(driver), driver.equals("raw") ? null : raw)).append(" |");
			}
			Direction direction = Direction.of(key[1]);
			line.append(' ').append(leader(medians, direction)).append(" |");
			line.append(' ').append(rank(medians, direction)).append(" |");
			Double ratio = (raw != null && websockex != null && raw != 0) ? websockex / raw : null;
			Target target = Target.of(key[0], key[1]);
			String met = "";
			if (target != null) {
				Double judged = target.absolute ? websockex : ratio;
				double limit = target.absolute ? absoluteLimit(values, key[0]) : target.limit;
				if (judged != null) {
					met = (target.atLeast ? judged >= limit : judged <= limit) ? "yes" : "**no**";
				}
			}
			line.append(' ').append((target != null) ? target.describe() : "").append(" | ").append(met).append(" |");
			System.out.println(line);
		}
	}

	/** raw, websockex, the known peers in their usual order, then any other name. */
	private static List<String> drivers(Map<String, Map<String, List<Double>>> values) {
		List<String> order = new ArrayList<>(List.of("raw", "websockex"));
		Peer.NAMES.stream().filter((name) -> !order.contains(name)).forEach(order::add);
		Set<String> seen = new LinkedHashSet<>();
		values.values().forEach((row) -> seen.addAll(row.keySet()));
		List<String> drivers = new ArrayList<>(order);
		drivers.retainAll(seen);
		seen.stream().filter((name) -> !drivers.contains(name)).forEach(drivers::add);
		return drivers;
	}

	private static String cell(@Nullable Double value, @Nullable Double raw) {
		if (value == null) {
			return "";
		}
		if (raw == null || raw == 0) {
			return format(value);
		}
		return format(value) + String.format(Locale.ROOT, " (%.2fx)", value / raw);
	}

	private static String leader(Map<String, Double> medians, Direction direction) {
		if (direction == Direction.NONE || medians.isEmpty()) {
			return "";
		}
		Map.@Nullable Entry<String, Double> best = null;
		for (Map.Entry<String, Double> entry : medians.entrySet()) {
			if (best == null || direction.better(entry.getValue(), best.getValue())) {
				best = entry;
			}
		}
		return best.getKey();
	}

	/** 1 + how many drivers did strictly better, of how many ran. */
	private static String rank(Map<String, Double> medians, Direction direction) {
		Double websockex = medians.get("websockex");
		if (direction == Direction.NONE || websockex == null) {
			return "";
		}
		long better = medians.values().stream().filter((value) -> direction.better(value, websockex)).count();
		return (better + 1) + " of " + medians.size();
	}

	private static double absoluteLimit(Map<String, Map<String, List<Double>>> values, String scenario) {
		Map<String, List<Double>> backoff = values.get(scenario + " backoff_ms");
		Double configured = (backoff != null) ? median(backoff.get("websockex")) : null;
		return ((configured != null) ? configured : 0) + 50;
	}

	private static @Nullable Double median(@Nullable List<Double> list) {
		if (list == null || list.isEmpty()) {
			return null;
		}
		List<Double> sorted = new ArrayList<>(list);
		sorted.sort(Double::compare);
		int mid = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
	}

	private static String format(@Nullable Double value) {
		if (value == null) {
			return "";
		}
		return (Math.abs(value) >= 1000) ? String.format(Locale.ROOT, "%,.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
	}

	/**
	 * Which way a metric is better: rates up, costs and times down, settings and checks
	 * neither.
	 */
	private enum Direction {

		HIGHER, LOWER, NONE;

		static Direction of(String metric) {
			if (metric.equals("backoff_ms") || metric.equals("received")) {
				return NONE;
			}
			return metric.endsWith("_per_s") ? HIGHER : LOWER;
		}

		boolean better(double a, double b) {
			return (this == HIGHER) ? a > b : a < b;
		}

	}

	/**
	 * A target of the issue: a ratio to raw (or, for reconnect, an absolute bound).
	 */
	private record Target(double limit, boolean atLeast, boolean absolute) {

		static @Nullable Target of(String scenario, String metric) {
			if (scenario.equals("inbound") && metric.equals("msgs_per_s")) {
				return new Target(0.95, true, false);
			}
			if (scenario.equals("inbound-json") && metric.equals("msgs_per_s")) {
				return new Target(0.90, true, false);
			}
			if (scenario.startsWith("rpc") && metric.equals("req_per_s")) {
				return new Target(0.90, true, false);
			}
			if (scenario.startsWith("rpc") && metric.equals("p99_us")) {
				return new Target(1.10, false, false);
			}
			if (scenario.equals("idle-mem") && metric.equals("heap_per_conn_bytes")) {
				return new Target(1.20, false, false);
			}
			if (scenario.equals("reconnect") && metric.equals("median_ms")) {
				return new Target(0, false, true);
			}
			return null;
		}

		String describe() {
			if (this.absolute) {
				return "websockex <= backoff + 50 ms";
			}
			return (this.atLeast ? ">= " : "<= ") + String.format(Locale.ROOT, "%.2fx", this.limit);
		}

	}

}
