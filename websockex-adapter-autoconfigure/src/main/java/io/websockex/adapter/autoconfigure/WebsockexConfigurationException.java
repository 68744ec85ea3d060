package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.InvalidConfigException;
import io.websockex.adapter.WebsockexException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code websockex.clients.<name>} entry (or the {@code websockex.defaults} value it
 * inherits), or a {@code @WebsockexListener} referring to one, is invalid. Carries the
 * client's name and the property relative to its entry, so that {@link #fullProperty()}
 * is the exact key to fix; a failure analyzer turns it into a short description and an
 * action at start-up.
 */
public class WebsockexConfigurationException extends WebsockexException {

	private final String clientName;

	private final String property;

	private final String problem;

	private final @Nullable String action;

	private final boolean inherited;

	/**
	 * Create an exception.
	 * @param clientName the client's name
	 * @param property the key relative to the client's entry, e.g. {@code heartbeat.type}
	 * @param problem what is wrong and what is accepted
	 * @param action what to do, or {@code null} to fix the property
	 * @param cause the underlying error, if any
	 */
	public WebsockexConfigurationException(String clientName, String property, String problem, @Nullable String action,
			@Nullable Throwable cause) {
		this(clientName, property, problem, action, cause, false);
	}

	private WebsockexConfigurationException(String clientName, String property, String problem, @Nullable String action,
			@Nullable Throwable cause, boolean inherited) {
		super("Invalid websockex configuration: " + fullProperty(clientName, property, inherited)
				+ (inherited ? " (inherited by client '" + clientName + "')" : "") + " " + problem, cause);
		this.clientName = clientName;
		this.property = property;
		this.problem = problem;
		this.action = action;
		this.inherited = inherited;
	}

	/**
	 * Create an exception.
	 * @param clientName the client's name
	 * @param property the key relative to the client's entry
	 * @param problem what is wrong and what is accepted
	 */
	public WebsockexConfigurationException(String clientName, String property, String problem) {
		this(clientName, property, problem, null, null);
	}

	/**
	 * Wrap a core validation error with the client's name.
	 * @param clientName the client's name
	 * @param ex the validation error
	 * @return the exception
	 */
	public static WebsockexConfigurationException of(String clientName, InvalidConfigException ex) {
		return new WebsockexConfigurationException(clientName, ex.property(), ex.problem(), null, ex);
	}

	/**
	 * Wrap a core validation error of a value the client inherits from
	 * {@code websockex.defaults}: {@link #fullProperty()} is then
	 * {@code websockex.defaults.<property>}.
	 * @param clientName the client's name
	 * @param ex the validation error
	 * @return the exception
	 */
	public static WebsockexConfigurationException inherited(String clientName, InvalidConfigException ex) {
		return new WebsockexConfigurationException(clientName, ex.property(), ex.problem(), null, ex, true);
	}

	private static String fullProperty(String clientName, String property, boolean inherited) {
		return (inherited ? "websockex.defaults." : "websockex.clients." + clientName + ".") + property;
	}

	/**
	 * The client's name.
	 * @return the name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * The invalid key, relative to the client's entry.
	 * @return the property, e.g. {@code ssl.bundle}
	 */
	public String property() {
		return this.property;
	}

	/**
	 * The full key: {@code websockex.clients.<name>.<property>}, or
	 * {@code websockex.defaults.<property>} when the client inherits the invalid value.
	 * @return the key
	 */
	public String fullProperty() {
		return fullProperty(this.clientName, this.property, this.inherited);
	}

	/**
	 * What is wrong with the value and what is accepted.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * What to do about it.
	 * @return the action
	 */
	public String action() {
		return (this.action != null) ? this.action
				: "Correct " + fullProperty() + " in your configuration (application.yml, application.properties or "
						+ "the environment), or remove it to use the default.";
	}

}
