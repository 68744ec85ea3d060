package io.websockex.adapter.bench;

import java.util.Locale;

/**
 * Prints a driver's figures in the one format {@link Report} reads.
 */
final class Results {

	private final String label;

	private final String driver;

	Results(String label, String driver) {
		this.label = label;
		this.driver = driver;
	}

	void put(String metric, double value) {
		System.out.println(String.format(Locale.ROOT, "RESULT %s %s %s %.3f", this.label, this.driver, metric, value));
		System.out.flush();
	}

	static void note(String text) {
		System.out.println("# " + text);
		System.out.flush();
	}

}
