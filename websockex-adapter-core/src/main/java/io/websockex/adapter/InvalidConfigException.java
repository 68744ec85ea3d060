package io.websockex.adapter;

/**
 * A {@link Config} value is invalid. {@link #property()} is the configuration key
 * relative to the client's entry (for example {@code retry-delay}), so that the message
 * maps one to one onto {@code websockex.clients.<name>.<property>}.
 */
public class InvalidConfigException extends IllegalArgumentException {

	private final String property;

	private final String problem;

	/**
	 * Create an exception.
	 * @param property the key, relative to the client's entry, e.g.
	 * {@code heartbeat.timeout}
	 * @param problem what is wrong and what is accepted
	 */
	public InvalidConfigException(String property, String problem) {
		super("Invalid websockex configuration '" + property + "': " + problem);
		this.property = property;
		this.problem = problem;
	}

	/**
	 * The invalid key, relative to the client's entry.
	 * @return the property, e.g. {@code max-backoff}
	 */
	public String property() {
		return this.property;
	}

	/**
	 * What is wrong with the value and what is accepted.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

}
