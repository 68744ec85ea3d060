package io.websockex.adapter.autoconfigure.cluster;

/**
 * How a client behaves when the service runs as several instances
 * ({@code websockex.clients.<name>.cluster}).
 */
public enum ClusterMode {

	/** Every instance connects on its own (the default). */
	NONE,

	/**
	 * Only the instance that holds the client's leadership connects; the others keep the
	 * client as a standby and take over when leadership moves to them.
	 */
	SINGLE_ACTIVE

}
