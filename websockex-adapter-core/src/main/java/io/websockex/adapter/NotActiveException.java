package io.websockex.adapter;

/**
 * A send or request was attempted on a standby client: with one live connection per
 * client across the instances of a service, another instance holds it (see
 * {@link ActivationGate}). Send from the active instance, or route the work there.
 */
public class NotActiveException extends NotConnectedException {

	/**
	 * Create an exception.
	 * @param client the client's name
	 */
	public NotActiveException(String client) {
		super(ConnectionState.DISCONNECTED, "websockex client '" + client
				+ "' is a standby on this instance: it is active on another instance "
				+ "of this service (cluster: single-active); send from the active instance, or wait until this one "
				+ "becomes active (role() == ACTIVE)");
	}

}
