package io.websockex.adapter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code RESULT} lines of every driver run and prints a markdown table: per
 * scenario and metric, the median over the rounds of each driver, websockex's ratio to
 * raw, and the target where there is one.
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
		System.out.println("| scenario | metric | raw | websockex | websockex / raw | target | met |");
		System.out.println("| --- | --- | ---: | ---: | ---: | --- | --- |");
		for (Map.Entry<String, Map<String, List<Double>>> row : values.entrySet()) {
			String[] key = row.getKey().split(" ");
			Double raw = median(row.getValue().get("raw"));
			Double websockex = median(row.getValue().get("websockex"));
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
			System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", key[0], key[1], format(raw),
					format(websockex), (ratio != null) ? String.format(Locale.ROOT, "%.2fx", ratio) : "",
					(target != null) ? target.describe() : "", met);
		}
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
