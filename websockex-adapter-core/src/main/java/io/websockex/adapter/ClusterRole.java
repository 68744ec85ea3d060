package io.websockex.adapter;

/**
 * A client's place among the instances of a service that share its name (see
 * {@link ActivationGate}).
 */
public enum ClusterRole {

	/**
	 * Not clustered: the client has no {@link ActivationGate} and connects on its own.
	 */
	NONE,

	/** This instance holds the client's activation: it connects. */
	ACTIVE,

	/**
	 * Another instance is (or may become) active: this one stays created, not connected.
	 */
	STANDBY

}
